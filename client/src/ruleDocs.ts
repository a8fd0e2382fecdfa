// Finds and opens the rule documentation pages shipped with the extension (docs/rules/<id>.md).
import * as vscode from 'vscode';
import { docsUrl } from '../../common/src/rules';

/** A rule as the documentation folder lists it. */
export interface RuleDocEntry {
  ruleId: string;
  /** First heading or sentence of the page, for the quick pick. */
  summary: string;
  uri: vscode.Uri;
}

function docsFolder(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules');
}

/** Lists the rule pages in the extension's docs folder, sorted by rule id. */
export async function listRuleDocs(extensionUri: vscode.Uri): Promise<RuleDocEntry[]> {
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(docsFolder(extensionUri));
  } catch {
    return [];
  }
  const docs: RuleDocEntry[] = [];
  for (const [name, type] of entries) {
    if (type !== vscode.FileType.File || !name.endsWith('.md') || name.toLowerCase() === 'readme.md') continue;
    const uri = vscode.Uri.joinPath(docsFolder(extensionUri), name);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    docs.push({ ruleId: name.slice(0, -3), summary: summaryOf(text), uri });
  }
  return docs.sort((a, b) => a.ruleId.localeCompare(b.ruleId));
}

/** The first prose line after the title: the page's one-line description. */
function summaryOf(markdown: string): string {
  const lines = markdown.split(/\r?\n/).map((line) => line.trim());
  const prose = lines.find((line) => line.length > 0 && !line.startsWith('#') && !line.startsWith('|') && !line.startsWith('```'));
  return prose ?? '';
}

/** Opens a rule's page: the bundled Markdown in the preview when shipped, else its public address. */
export async function openRuleDoc(extensionUri: vscode.Uri, ruleId: string, url?: string): Promise<void> {
  const local = vscode.Uri.joinPath(docsFolder(extensionUri), `${ruleId}.md`);
  try {
    await vscode.workspace.fs.stat(local);
    await vscode.commands.executeCommand('markdown.showPreview', local);
    return;
  } catch {
    // not shipped with this build: fall back to the public page
  }
  await vscode.env.openExternal(vscode.Uri.parse(url ?? docsUrl(ruleId)));
}
