// Protocol tests from Node with vscode-jsonrpc (the library VS Code uses),
// driving the real `ward lsp`: open, edit, diagnostics, code actions,
// workspace scan with progress, shutdown.  Run by vscode.sh with
// WARD_BIN, WARD_FAKE and VSCODE_DIR (where node_modules is) set.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');
const cp = require('node:child_process');
const rpc = require(path.join(process.env.VSCODE_DIR, 'node_modules', 'vscode-jsonrpc', 'node'));

const token = cp.execFileSync(process.env.WARD_FAKE, ['--seed', '11', 'ghp_%{crc62:30}']).toString().trim();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ward-node-'));
const rootUri = 'file://' + root;
fs.writeFileSync(path.join(root, 'on-disk.js'), `const key = "${token}";\n`);

const running = [];
function start() {
  const proc = cp.spawn(process.env.WARD_BIN, ['lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = rpc.createMessageConnection(
    new rpc.StreamMessageReader(proc.stdout), new rpc.StreamMessageWriter(proc.stdin));
  const seen = [];
  conn.onNotification((method, params) => seen.push({ method, params }));
  // vscode-jsonrpc routes $/progress by token, not to the catch-all handler.
  conn.onRequest('window/workDoneProgress/create', (p) => {
    conn.onProgress(new rpc.ProgressType(), p.token,
      (value) => seen.push({ method: '$/progress', params: { token: p.token, value } }));
    return null;
  });
  conn.listen();
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  running.push(proc);
  return { proc, conn, seen, exited };
}

function waitFor(seen, pred, ms = 5000) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = () => {
      const hit = seen.find(pred);
      if (hit) return resolve(hit);
      if (Date.now() - t0 > ms) return reject(new Error('timed out'));
      setTimeout(poll, 5);
    };
    poll();
  });
}

test('a session: open, edit, code actions, workspace scan, shutdown', async () => {
  const { conn, seen, exited } = start();
  const init = await conn.sendRequest('initialize', {
    processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'root' }],
    capabilities: {
      general: { positionEncodings: ['utf-16'] },
      window: { workDoneProgress: true },
      workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
    },
  });
  assert.strictEqual(init.capabilities.positionEncoding, 'utf-16');
  assert.strictEqual(init.capabilities.textDocumentSync.change, 2);
  assert.deepStrictEqual(init.capabilities.codeActionProvider.codeActionKinds, ['quickfix']);
  assert.ok(init.capabilities.executeCommandProvider.commands.includes('ward.scanWorkspace'));
  conn.sendNotification('initialized', {});

  const uri = rootUri + '/app.ts';
  const text = `// \u00e9\u{1F600}\nconst apiKey = "${token}";\n`;
  conn.sendNotification('textDocument/didOpen',
    { textDocument: { uri, languageId: 'typescript', version: 1, text } });
  const pub = await waitFor(seen, (n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri === uri);
  assert.strictEqual(pub.params.version, 1);
  const d = pub.params.diagnostics[0];
  assert.deepStrictEqual(d.range, { start: { line: 1, character: 16 }, end: { line: 1, character: 16 + token.length } });
  assert.strictEqual(d.code, 'github-pat');
  assert.strictEqual(d.source, 'ward');
  assert.strictEqual(d.severity, 1);
  assert.match(d.data.fingerprint, /^[0-9a-f]{32}$/);
  assert.ok(!JSON.stringify(pub).includes(token), 'the diagnostic never carries the secret');
  const sr = await waitFor(seen, (n) => n.method === 'ward/secretRanges' && n.params.uri === uri);
  assert.deepStrictEqual(sr.params.ranges, [d.range]);

  // Incremental edit on the first line (after the emoji: UTF-16 units).
  conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, text: 'x\ny' }],
  });
  const pub2 = await waitFor(seen, (n) => n.method === 'textDocument/publishDiagnostics' && n.params.version === 2);
  assert.strictEqual(pub2.params.diagnostics[0].range.start.line, 2);

  const actions = await conn.sendRequest('textDocument/codeAction', {
    textDocument: { uri }, range: { start: { line: 2, character: 20 }, end: { line: 2, character: 20 } },
    context: { diagnostics: pub2.params.diagnostics },
  });
  const titles = actions.map((a) => a.title);
  assert.ok(titles.some((t) => t.startsWith('Allow this secret')), titles.join('; '));
  assert.ok(titles.includes('Move this secret to .env as API_KEY'), titles.join('; '));
  assert.ok(titles.some((t) => t.startsWith('Add this secret to the ward baseline')));
  const allow = actions.find((a) => a.title.startsWith('Allow'));
  assert.strictEqual(allow.edit.documentChanges[0].edits[0].newText, ' // ward:allow');
  const env = actions.find((a) => a.title.startsWith('Move'));
  assert.strictEqual(env.edit.documentChanges[0].edits[0].newText, 'process.env.API_KEY');

  // Workspace scan: progress begin/end and the file on disk published.
  const res = await conn.sendRequest('workspace/executeCommand', { command: 'ward.scanWorkspace' });
  assert.strictEqual(res.findings, 1);
  const kinds = seen.filter((n) => n.method === '$/progress').map((n) => n.params.value.kind);
  assert.strictEqual(kinds[0], 'begin');
  assert.strictEqual(kinds[kinds.length - 1], 'end');
  await waitFor(seen, (n) => n.method === 'textDocument/publishDiagnostics' && n.params.uri.endsWith('/on-disk.js'));

  // Unknown methods and a second initialize are errors, not crashes.
  await assert.rejects(conn.sendRequest('no/such', {}), (e) => e.code === -32601);

  await conn.sendRequest('shutdown');
  conn.sendNotification('exit');
  assert.strictEqual(await exited, 0);
  conn.dispose();
});

test('any scheme is scanned; a scan is cancelled by $/cancelRequest', async () => {
  const { conn, seen, exited } = start();
  await conn.sendRequest('initialize', {
    processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'root' }], capabilities: {},
  });
  conn.sendNotification('initialized', {});
  // the committed side of a diff view
  const gitUri = 'git:/' + root + '/app.ts?%7B%22ref%22%3A%22HEAD%22%7D';
  conn.sendNotification('textDocument/didOpen',
    { textDocument: { uri: gitUri, languageId: 'typescript', version: 1, text: `k = "${token}"\n` } });
  const sr = await waitFor(seen, (n) => n.method === 'ward/secretRanges' && n.params.uri === gitUri);
  assert.strictEqual(sr.params.ranges.length, 1);
  // vscode-jsonrpc sends $/cancelRequest when the token is cancelled
  const src = new rpc.CancellationTokenSource();
  const scan = conn.sendRequest('workspace/executeCommand', { command: 'ward.scanWorkspace' }, src.token);
  src.cancel();
  await assert.rejects(scan, (e) => e.code === -32800 || /cancel/i.test(e.message));
  // the server keeps answering
  await assert.rejects(conn.sendRequest('no/such', {}), (e) => e.code === -32601);
  await conn.sendRequest('shutdown');
  conn.sendNotification('exit');
  assert.strictEqual(await exited, 0);
  conn.dispose();
});

test('exit without shutdown ends with status 1', async () => {
  const { conn, exited } = start();
  await conn.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
  conn.sendNotification('exit');
  assert.strictEqual(await exited, 1);
  conn.dispose();
});

test.after(() => {
  for (const p of running) if (p.exitCode === null) p.kill(); // a failed test's server
  fs.rmSync(root, { recursive: true, force: true });
});
