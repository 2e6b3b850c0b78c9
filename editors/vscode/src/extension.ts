// ward for VS Code: starts `ward lsp`, shows its diagnostics in the Problems
// panel, and masks each secret on screen (its text hidden, "[secret ●●●●]"
// drawn in its place with a wavy underline) using the exact ranges of the
// server's `ward/secretRanges` notification (see docs/lsp.md).  "Ward: Scan
// Workspace" is the server's ward.scanWorkspace command, registered by the
// language client itself.
//
// Every document VS Code shows is handed to the server, whatever its scheme
// (`git:` for the committed side of a diff, `output:`, untitled, ...), so
// each gets masked.  The masking state is per workspace (workspaceState);
// changing `ward.maskSecrets` applies at once.  Word-based suggestions, which
// would list a secret's text, are off by the extension's configuration
// defaults (package.json), and so are untitled editors' titles taken from
// their first line (Untitled-1 instead); search results have no hook
// (docs/lsp.md).
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

interface SecretRanges {
  uri: string;
  version: number | null;
  ranges: { start: { line: number; character: number }; end: { line: number; character: number } }[];
}

const STATE_KEY = 'ward.masked';
let client: LanguageClient | undefined;
let masked = true;
const secrets = new Map<string, vscode.Range[]>();
let decoration: vscode.TextEditorDecorationType;
let status: vscode.StatusBarItem;

// Every scheme: a filter with scheme '*' matches any document.
export const documentSelector = [{ scheme: '*' }];

// What is drawn over a secret of n characters: plain text (no emoji, which
// renders as an empty box without a colour-emoji font).
export function maskText(n: number): string {
  return '[secret ' + '\u25CF'.repeat(Math.min(Math.max(n, 4), 40)) + ']';
}

function redraw(editor: vscode.TextEditor): void {
  const ranges = masked ? secrets.get(editor.document.uri.toString()) ?? [] : [];
  editor.setDecorations(
    decoration,
    ranges.map((range) => ({
      range,
      hoverMessage: 'ward: secret masked (Ward: Toggle Masking to reveal)',
      renderOptions: { before: { contentText: maskText(editor.document.getText(range).length) } },
    })),
  );
}

function redrawAll(): void {
  for (const editor of vscode.window.visibleTextEditors) redraw(editor);
}

function updateStatus(): void {
  let count = 0;
  for (const [, diags] of vscode.languages.getDiagnostics())
    count += diags.filter((d) => d.source === 'ward').length;
  status.text = `$(${masked ? 'lock' : 'unlock'}) ward: ${count}`;
  status.tooltip = `${count} secret${count === 1 ? '' : 's'} found, ${masked ? 'masked' : 'shown'}`;
  status.show();
}

async function setMasked(context: vscode.ExtensionContext, value: boolean): Promise<void> {
  masked = value;
  await context.workspaceState.update(STATE_KEY, value);
  redrawAll();
  updateStatus();
}

function startClient(): LanguageClient {
  const config = vscode.workspace.getConfiguration('ward');
  const serverOptions: ServerOptions = { command: config.get<string>('path', 'ward'), args: ['lsp'] };
  const clientOptions: LanguageClientOptions = { documentSelector };
  const c = new LanguageClient('ward', 'ward', serverOptions, clientOptions);
  return c;
}

function onSecretRanges(p: SecretRanges): void {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === p.uri);
  if (doc && p.version !== null && p.version !== doc.version) return; // stale
  secrets.set(p.uri, p.ranges.map((r) => client!.protocol2CodeConverter.asRange(r)));
  for (const editor of vscode.window.visibleTextEditors)
    if (editor.document.uri.toString() === p.uri) redraw(editor);
}

async function launch(context: vscode.ExtensionContext): Promise<void> {
  client = startClient();
  await client.start();
  context.subscriptions.push(client.onNotification('ward/secretRanges', onSecretRanges));
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('ward');
  // The toggle's last state in this workspace, else the setting.
  masked = context.workspaceState.get<boolean>(STATE_KEY) ?? config.get<boolean>('maskSecrets', true);
  // The text itself is hidden and the mask drawn in its place, underlined
  // so the finding stays visible (the diagnostic's own squiggle is on the
  // hidden text).
  decoration = vscode.window.createTextEditorDecorationType({
    textDecoration: 'none; display: none;',
    before: {
      color: new vscode.ThemeColor('editorWarning.foreground'),
      textDecoration: 'underline wavy',
    },
  });
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  status.command = 'ward.toggleMasking';

  context.subscriptions.push(
    decoration,
    status,
    vscode.commands.registerCommand('ward.toggleMasking', () => setMasked(context, !masked)),
    vscode.commands.registerCommand('ward.excludeFromSearch', () => excludeFromSearch()),
    vscode.window.onDidChangeVisibleTextEditors(redrawAll),
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.workspace.onDidCloseTextDocument((doc) => secrets.delete(doc.uri.toString())),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('ward.maskSecrets'))
        await setMasked(context, vscode.workspace.getConfiguration('ward').get<boolean>('maskSecrets', true));
      if (e.affectsConfiguration('ward.path') && client) {
        await client.stop();
        await launch(context);
      }
    }),
  );
  await launch(context);
  updateStatus();
}

// Find in Files shows matching lines as plain text and gives extensions no
// hook: this adds every file with a ward finding to the workspace's
// search.exclude, so searches stop showing them.
export async function excludeFromSearch(): Promise<number> {
  const search = vscode.workspace.getConfiguration('search');
  const exclude = { ...(search.get<Record<string, boolean>>('exclude') ?? {}) };
  let added = 0;
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    if (uri.scheme !== 'file' || !diags.some((d) => d.source === 'ward')) continue;
    const rel = vscode.workspace.asRelativePath(uri, false);
    if (!exclude[rel]) {
      exclude[rel] = true;
      added++;
    }
  }
  if (added) await search.update('exclude', exclude, vscode.ConfigurationTarget.Workspace);
  return added;
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
