// ward for VS Code: starts `ward lsp`, shows its diagnostics in the Problems
// panel, and masks each secret on screen (drawn as a lock and ●●●●) using the
// exact ranges of the server's `ward/secretRanges` notification (see
// docs/lsp.md).  "Ward: Scan Workspace" is the server's ward.scanWorkspace
// command, registered by the language client itself.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

interface SecretRanges {
  uri: string;
  version: number | null;
  ranges: { start: { line: number; character: number }; end: { line: number; character: number } }[];
}

let client: LanguageClient | undefined;
let masked = true;
const secrets = new Map<string, vscode.Range[]>();
let decoration: vscode.TextEditorDecorationType;
let status: vscode.StatusBarItem;

function redraw(editor: vscode.TextEditor): void {
  const ranges = masked ? secrets.get(editor.document.uri.toString()) ?? [] : [];
  editor.setDecorations(
    decoration,
    ranges.map((range) => {
      const n = Math.min(editor.document.getText(range).length, 40);
      return {
        range,
        hoverMessage: 'ward: secret masked (Ward: Toggle Masking to reveal)',
        renderOptions: { before: { contentText: '\u{1F512}' + '\u25CF'.repeat(Math.max(n, 4)) } },
      };
    }),
  );
}

function redrawAll(): void {
  for (const editor of vscode.window.visibleTextEditors) redraw(editor);
}

function updateStatus(): void {
  let count = 0;
  for (const [, diags] of vscode.languages.getDiagnostics())
    count += diags.filter((d) => d.source === 'ward').length;
  status.text = `$(shield) ward: ${count}`;
  status.tooltip = `${count} secret${count === 1 ? '' : 's'} found${masked ? ', masked' : ''}`;
  status.show();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const config = vscode.workspace.getConfiguration('ward');
  masked = config.get<boolean>('maskSecrets', true);
  // The text itself is hidden and a lock plus dots drawn in its place.
  decoration = vscode.window.createTextEditorDecorationType({
    textDecoration: 'none; display: none;',
    before: { color: new vscode.ThemeColor('editorWarning.foreground') },
  });
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  status.command = 'ward.toggleMasking';

  const serverOptions: ServerOptions = { command: config.get<string>('path', 'ward'), args: ['lsp'] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file' }, { scheme: 'untitled' }],
  };
  client = new LanguageClient('ward', 'ward', serverOptions, clientOptions);
  context.subscriptions.push(
    decoration,
    status,
    vscode.commands.registerCommand('ward.toggleMasking', () => {
      masked = !masked;
      redrawAll();
      updateStatus();
    }),
    vscode.window.onDidChangeVisibleTextEditors(redrawAll),
    vscode.languages.onDidChangeDiagnostics(updateStatus),
    vscode.workspace.onDidCloseTextDocument((doc) => secrets.delete(doc.uri.toString())),
  );
  await client.start();
  context.subscriptions.push(
    client.onNotification('ward/secretRanges', (p: SecretRanges) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === p.uri);
      if (doc && p.version !== null && p.version !== doc.version) return; // stale
      secrets.set(p.uri, p.ranges.map((r) => client!.protocol2CodeConverter.asRange(r)));
      for (const editor of vscode.window.visibleTextEditors)
        if (editor.document.uri.toString() === p.uri) redraw(editor);
    }),
  );
  updateStatus();
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
}
