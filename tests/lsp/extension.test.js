// The VS Code extension's own logic, in Node against a fake `vscode` module
// and a fake language client (no editor needed): which documents reach the
// server, what is drawn over a secret, live settings, the toggle's state
// per workspace, and the search exclusion command.  Run by vscode.sh with
// VSCODE_DIR (the built extension) set.  The real-editor test is separate.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const Module = require('node:module');

// ---- fakes --------------------------------------------------------------
const handlers = {};
const commands = {};
const settings = { 'ward.maskSecrets': true, 'ward.path': 'ward', 'search.exclude': {} };
const updates = [];
let decorated = []; // the options of each setDecorations call
let created; // the decoration type's options
const diagnostics = [];
let clients = 0, stops = 0, lastClientOptions;

class Range {
  constructor(sl, sc, el, ec) { this.start = { line: sl, character: sc }; this.end = { line: el, character: ec }; }
}
const uri = (s) => ({ toString: () => s, scheme: s.split(':')[0], path: s.replace(/^[a-z]+:\/\//, '') });
const doc = { uri: uri('git:/w/app.ts?ref'), version: 3, getText: () => 'x'.repeat(30) };
const editor = { document: doc, setDecorations: (_t, opts) => decorated.push(opts) };
const ev = (name) => (fn) => { handlers[name] = fn; return { dispose() {} }; };
const memento = () => { const m = new Map(); return { get: (k) => m.get(k), update: async (k, v) => { m.set(k, v); } }; };

const vscode = {
  Range,
  ThemeColor: class { constructor(id) { this.id = id; } },
  StatusBarAlignment: { Left: 1 },
  ConfigurationTarget: { Workspace: 2 },
  window: {
    visibleTextEditors: [editor],
    createTextEditorDecorationType: (o) => { created = o; return { dispose() {} }; },
    createStatusBarItem: () => ({ show() {}, dispose() {} }),
    onDidChangeVisibleTextEditors: ev('visible'),
  },
  commands: { registerCommand: (n, fn) => { commands[n] = fn; return { dispose() {} }; } },
  languages: { getDiagnostics: () => diagnostics, onDidChangeDiagnostics: ev('diags') },
  workspace: {
    textDocuments: [doc],
    getConfiguration: (section) => ({
      get: (k, d) => settings[section + '.' + k] ?? d,
      update: async (k, v, target) => { settings[section + '.' + k] = v; updates.push([section + '.' + k, v, target]); },
    }),
    onDidCloseTextDocument: ev('close'),
    onDidChangeConfiguration: ev('config'),
    asRelativePath: (u) => u.path.replace(/^\/w\//, ''),
  },
};
class LanguageClient {
  constructor(_id, _name, _server, options) { clients++; lastClientOptions = options; this.note = {}; }
  async start() {}
  async stop() { stops++; }
  onNotification(method, fn) { this.note[method] = fn; fakeClient = this; return { dispose() {} }; }
  get protocol2CodeConverter() {
    return { asRange: (r) => new Range(r.start.line, r.start.character, r.end.line, r.end.character) };
  }
}
let fakeClient;
const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === 'vscode') return vscode;
  if (request === 'vscode-languageclient/node') return { LanguageClient };
  return load.call(this, request, parent, isMain);
};
const ext = require(path.join(process.env.VSCODE_DIR, 'out', 'extension.js'));

const context = { subscriptions: [], workspaceState: memento() };
const lastMasks = () => decorated[decorated.length - 1];

test('every scheme reaches the server, so git: and output: documents are masked', async () => {
  await ext.activate(context);
  assert.deepStrictEqual(lastClientOptions.documentSelector, [{ scheme: '*' }]);
  fakeClient.note['ward/secretRanges']({
    uri: 'git:/w/app.ts?ref', version: 3,
    ranges: [{ start: { line: 1, character: 4 }, end: { line: 1, character: 34 } }],
  });
  const masks = lastMasks();
  assert.strictEqual(masks.length, 1);
  assert.deepStrictEqual(masks[0].range.start, { line: 1, character: 4 });
});

test('the mask is plain text (no emoji) and stays underlined', () => {
  const text = lastMasks()[0].renderOptions.before.contentText;
  assert.match(text, /^\[secret \u25CF+\]$/);
  assert.ok(![...text].some((c) => c.codePointAt(0) > 0xffff), 'no astral (emoji) character');
  assert.match(created.before.textDecoration, /underline/);
  const deco = ext.maskText(3);
  assert.strictEqual(deco, '[secret \u25CF\u25CF\u25CF\u25CF]');
});

test('the toggle persists per workspace and ward.maskSecrets applies live', async () => {
  await commands['ward.toggleMasking']();
  assert.strictEqual(lastMasks().length, 0, 'revealed');
  assert.strictEqual(context.workspaceState.get('ward.masked'), false);
  // a new session in this workspace starts revealed, whatever the setting
  const before = decorated.length;
  await ext.activate({ subscriptions: [], workspaceState: context.workspaceState });
  assert.strictEqual(decorated.length, before); // nothing drawn before ranges arrive
  fakeClient.note['ward/secretRanges']({
    uri: 'git:/w/app.ts?ref', version: 3,
    ranges: [{ start: { line: 1, character: 4 }, end: { line: 1, character: 34 } }],
  });
  assert.strictEqual(lastMasks().length, 0, 'still revealed after a restart');
  // the setting, changed: masked at once
  settings['ward.maskSecrets'] = true;
  await handlers.config({ affectsConfiguration: (s) => s === 'ward.maskSecrets' });
  assert.strictEqual(lastMasks().length, 1);
  settings['ward.maskSecrets'] = false;
  await handlers.config({ affectsConfiguration: (s) => s === 'ward.maskSecrets' });
  assert.strictEqual(lastMasks().length, 0);
  // a new ward.path restarts the server
  const n = clients;
  await handlers.config({ affectsConfiguration: (s) => s === 'ward.path' });
  assert.strictEqual(clients, n + 1);
  assert.ok(stops >= 1);
});

test('files with findings can be excluded from Find in Files', async () => {
  diagnostics.push([uri('file:///w/src/keys.py'), [{ source: 'ward' }]]);
  diagnostics.push([uri('file:///w/src/clean.py'), [{ source: 'eslint' }]]);
  diagnostics.push([uri('git:/w/src/keys.py'), [{ source: 'ward' }]]);
  assert.strictEqual(await ext.excludeFromSearch(), 1);
  assert.deepStrictEqual(settings['search.exclude'], { 'src/keys.py': true });
  assert.strictEqual(updates[0][2], vscode.ConfigurationTarget.Workspace);
  assert.strictEqual(await ext.excludeFromSearch(), 0, 'already there');
});

test('package.json: word-based suggestions off, untitled files by name, the new command listed', () => {
  const pkg = require(path.join(process.env.VSCODE_DIR, 'package.json'));
  assert.strictEqual(pkg.contributes.configurationDefaults['editor.wordBasedSuggestions'], 'off');
  // An untitled editor's title is otherwise its first line, a secret included.
  assert.strictEqual(pkg.contributes.configurationDefaults['workbench.editor.untitled.labelFormat'], 'name');
  assert.ok(pkg.contributes.commands.some((c) => c.command === 'ward.excludeFromSearch'));
});
