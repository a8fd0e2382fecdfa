// Protocol tests of a burst of edits across 100 open documents (TS, JSON and Python mixed), pushed and pulled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { LspTestClient } from './lspClient';
import { JSON_MODEL, PY_MODEL, TS_MODEL } from './fixtures';

const DOCUMENTS = 100;
/** Edit rounds; odd-numbered documents get one more edit than even ones, so their final text differs. */
const ROUNDS = 4;

/** One kind of model document: its text and an initializer swap that turns one rule's problem on and off. */
interface Kind {
  extension: string;
  languageId: string;
  text: string;
  /** Text present in the original model; replacing it with `swapped` removes `rule`'s problem. */
  original: string;
  swapped: string;
  rule: string;
}

const KINDS: Kind[] = [
  { extension: 'ts', languageId: 'typescript', text: TS_MODEL, original: "'zeros'", swapped: "'heNormal'", rule: 'symmetric-init' },
  {
    extension: 'json',
    languageId: 'json',
    text: JSON_MODEL,
    original: '"HeNormal"',
    swapped: '"GlorotNormal"',
    rule: 'he-with-saturating',
  },
  { extension: 'py', languageId: 'python', text: PY_MODEL, original: "'zeros'", swapped: "'he_normal'", rule: 'symmetric-init' },
];

interface Doc {
  uri: string;
  kind: Kind;
  edits: number;
  swappedNow: boolean;
}

function documentsFor(folder: string): Doc[] {
  return Array.from({ length: DOCUMENTS }, (_, i) => {
    const kind = KINDS[i % KINDS.length]!;
    return { uri: `file:///workspace/${folder}/model${i}.${kind.extension}`, kind, edits: ROUNDS + (i % 2), swappedNow: false };
  });
}

/** Sends one incremental edit that flips the document's initializer; returns the new version. */
async function toggle(client: LspTestClient, doc: Doc): Promise<number> {
  const text = client.text(doc.uri);
  const [from, to] = doc.swappedNow ? [doc.kind.swapped, doc.kind.original] : [doc.kind.original, doc.kind.swapped];
  const start = text.indexOf(from);
  assert.ok(start >= 0, `${from} in ${doc.uri}`);
  const document = client.documents.get(doc.uri)!;
  doc.swappedNow = !doc.swappedNow;
  return client.change(doc.uri, [
    { range: { start: document.positionAt(start), end: document.positionAt(start + from.length) }, text: to },
  ]);
}

/** Round-robin edits: every document gets its edits, interleaved with the others'. `between` runs after each edit. */
async function interleavedBurst(client: LspTestClient, docs: Doc[], between: (doc: Doc) => void = () => {}): Promise<Map<string, number>> {
  const finalVersions = new Map<string, number>();
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (const doc of docs) {
      if (round >= doc.edits) continue;
      finalVersions.set(doc.uri, await toggle(client, doc));
      between(doc);
    }
  }
  return finalVersions;
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code));
}

/** The final text flipped an odd number of times, so the rule's problem is gone exactly for the odd-numbered documents. */
function assertFinalContent(doc: Doc, diagnostics: Diagnostic[]): void {
  assert.equal(doc.swappedNow, doc.edits % 2 === 1);
  assert.equal(codes(diagnostics).includes(doc.kind.rule), !doc.swappedNow, `${doc.uri}: ${JSON.stringify(codes(diagnostics))}`);
}

describe('100-document burst, pushed diagnostics', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it("publishes every document's final version last, with versions in increasing order, then serves a fresh document", async () => {
    const docs = documentsFor('push');
    for (const doc of docs) await client.open(doc.uri, doc.kind.languageId, doc.kind.text);
    for (const doc of docs) {
      const opened = await client.waitForPublished(doc.uri, 1, 30_000);
      assert.ok(codes(opened).includes(doc.kind.rule), `${doc.uri} v1: ${JSON.stringify(codes(opened))}`);
    }
    const finalVersions = await interleavedBurst(client, docs);
    for (const doc of docs) {
      const version = finalVersions.get(doc.uri)!;
      assert.equal(version, 1 + doc.edits);
      assertFinalContent(doc, await client.waitForPublished(doc.uri, version, 30_000));
    }
    // Past the debounce: a late publish of an older version would show up here as the last one.
    await new Promise((r) => setTimeout(r, 500));
    for (const doc of docs) {
      const versions = (client.published.get(doc.uri) ?? []).map((p) => p.version);
      assert.equal(versions.at(-1), finalVersions.get(doc.uri), `${doc.uri} published ${JSON.stringify(versions)}`);
      for (let i = 1; i < versions.length; i++)
        assert.ok(versions[i]! > versions[i - 1]!, `${doc.uri} published ${JSON.stringify(versions)}`);
      assertFinalContent(doc, client.published.get(doc.uri)!.at(-1)!.diagnostics);
    }
    const fresh = 'file:///workspace/push/fresh.py';
    await client.open(fresh, 'python', PY_MODEL);
    assert.ok(codes(await client.waitForPublished(fresh, 1)).includes('he-with-saturating'));
    assert.equal(client.child.exitCode, null, 'the server is alive');
  });
});

describe('100-document burst, pulled diagnostics', () => {
  let client: LspTestClient;
  before(async () => {
    client = await LspTestClient.start({ pull: true });
  });
  after(async () => {
    await client.stop();
  });

  const pull = (uri: string): Promise<DocumentDiagnosticReport> =>
    client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }) as Promise<DocumentDiagnosticReport>;

  it('answers every pull sent during the burst and the pulls after it see the final text', async () => {
    const docs = documentsFor('pull');
    for (const doc of docs) await client.open(doc.uri, doc.kind.languageId, doc.kind.text);
    const during: Promise<DocumentDiagnosticReport>[] = [];
    await interleavedBurst(client, docs, (doc) => {
      during.push(pull(doc.uri));
    });
    const answered = await Promise.all(during);
    assert.equal(
      answered.length,
      docs.reduce((n, d) => n + d.edits, 0),
    );
    assert.ok(answered.every((report) => report.kind === 'full' && Array.isArray(report.items)));
    const finals = await Promise.all(docs.map((doc) => pull(doc.uri)));
    docs.forEach((doc, i) => {
      const report = finals[i]!;
      assert.equal(report.kind, 'full');
      assertFinalContent(doc, report.kind === 'full' ? report.items : []);
    });
    const fresh = 'file:///workspace/pull/fresh.ts';
    await client.open(fresh, 'typescript', TS_MODEL);
    const report = await pull(fresh);
    assert.ok(report.kind === 'full' && codes(report.items).includes('symmetric-init'), JSON.stringify(report));
    assert.equal(client.publishCount(fresh), 0, 'no push in pull mode');
  });
});
