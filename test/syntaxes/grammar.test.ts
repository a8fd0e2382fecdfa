// Snapshot test of the injection grammar: tokenizes fixtures with the real TS/JS/JSON TextMate grammars plus ours.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = join(__dirname, '../../..');
const fixtures = join(root, 'test/fixtures/grammar');
const INJECTION_SCOPE = 'model-lint.injection';

/** Host grammars as shipped by the tm-grammars package (the same TextMate sources VS Code bundles). */
const HOST_GRAMMARS: Record<string, string> = {
  'source.ts': 'typescript.json',
  'source.tsx': 'tsx.json',
  'source.js': 'javascript.json',
  'source.js.jsx': 'jsx.json',
  'source.json': 'json.json',
  'source.json.comments': 'jsonc.json',
};
const SCOPE_BY_EXTENSION: Record<string, string> = { '.ts': 'source.ts', '.js': 'source.js', '.json': 'source.json' };

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

/** The grammar contribution from package.json: the test goes through the same wiring VS Code reads. */
function manifestGrammar(): GrammarContribution {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { grammars: GrammarContribution[] } };
  const grammar = manifest.contributes.grammars.find((g) => g.scopeName === INJECTION_SCOPE);
  assert.ok(grammar, 'package.json contributes the injection grammar');
  return grammar;
}

async function createRegistry(): Promise<textmate.Registry> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const contribution = manifestGrammar();
  const grammarsDir = join(require.resolve('tm-grammars/grammars/json.json'), '..');
  return new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) => {
      const file =
        scopeName === INJECTION_SCOPE
          ? join(root, contribution.path)
          : HOST_GRAMMARS[scopeName]
            ? join(grammarsDir, HOST_GRAMMARS[scopeName])
            : null;
      if (!file) return null;
      return textmate.parseRawGrammar(readFileSync(file, 'utf8'), file);
    },
    getInjections: (scopeName) => (contribution.injectTo?.includes(scopeName) ? [INJECTION_SCOPE] : undefined),
  });
}

interface Token {
  line: number;
  column: number;
  text: string;
  scopes: string[];
}

async function tokenize(registry: textmate.Registry, scopeName: string, text: string): Promise<Token[]> {
  const grammar = await registry.loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName} loads`);
  const tokens: Token[] = [];
  let state = textmate.INITIAL;
  text.split('\n').forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    for (const token of result.tokens) {
      tokens.push({
        line: line + 1,
        column: token.startIndex + 1,
        text: lineText.slice(token.startIndex, token.endIndex),
        scopes: token.scopes,
      });
    }
    state = result.ruleStack;
  });
  return tokens;
}

/** One line per token that carries a model-lint scope: position, text and its model-lint scopes. */
function renderSnapshot(tokens: Token[]): string {
  return (
    tokens
      .filter((token) => token.scopes.some((scope) => scope.endsWith('.model-lint')))
      .map(
        (token) =>
          `${token.line}:${token.column} ${JSON.stringify(token.text)} ${token.scopes.filter((scope) => scope.endsWith('.model-lint')).join(' ')}`,
      )
      .join('\n') + '\n'
  );
}

function scopesOf(tokens: Token[], line: number, text: string): string[] {
  const token = tokens.find((t) => t.line === line && t.text === text);
  assert.ok(token, `a token ${JSON.stringify(text)} on line ${line}`);
  return token.scopes;
}

const fixtureFiles = readdirSync(fixtures)
  .filter((name) => SCOPE_BY_EXTENSION[extname(name)] !== undefined)
  .sort();

test('the grammar contribution injects into TS, TSX, JS, JSX, JSON and JSONC', () => {
  assert.deepEqual([...(manifestGrammar().injectTo ?? [])].sort(), Object.keys(HOST_GRAMMARS).sort());
});

for (const name of fixtureFiles) {
  test(`grammar snapshot: ${name}`, async () => {
    const registry = await createRegistry();
    const tokens = await tokenize(registry, SCOPE_BY_EXTENSION[extname(name)], readFileSync(join(fixtures, name), 'utf8'));
    const rendered = renderSnapshot(tokens);
    const snapshotFile = join(fixtures, `${name}.snap`);
    if (process.env.UPDATE_SNAPSHOTS === '1' || !existsSync(snapshotFile)) {
      if (process.env.UPDATE_SNAPSHOTS !== '1') assert.fail(`no snapshot ${snapshotFile}; run with UPDATE_SNAPSHOTS=1 and review it`);
      writeFileSync(snapshotFile, rendered);
    }
    assert.equal(rendered, readFileSync(snapshotFile, 'utf8'));
    // The injection must never leave the host grammar confused about what follows.
    const illegal = tokens.filter((token) => token.scopes.some((scope) => scope.startsWith('invalid.illegal')));
    assert.deepEqual(
      illegal.map((t) => `${t.line}:${t.column} ${t.text}`),
      [],
    );
  });
}

test('TS: names get their scopes, look-alikes and comments do not, and the host grammar keeps going', async () => {
  const registry = await createRegistry();
  const tokens = await tokenize(registry, 'source.ts', readFileSync(join(fixtures, 'layers.ts'), 'utf8'));
  assert.ok(scopesOf(tokens, 5, 'heNormal').includes('support.constant.initializer.model-lint'));
  assert.ok(scopesOf(tokens, 5, 'relu').includes('support.constant.activation.model-lint'));
  assert.ok(scopesOf(tokens, 6, 'glorotUniform').includes('support.constant.initializer.model-lint'));
  assert.ok(scopesOf(tokens, 7, 'zeros').includes('support.constant.initializer.model-lint'), 'template-literal value');
  assert.ok(scopesOf(tokens, 7, 'relu6').includes('support.constant.activation.model-lint'));
  // The key after an injected entry is still an object key of the TS grammar.
  assert.ok(scopesOf(tokens, 5, 'units').some((scope) => scope.startsWith('meta.object-literal.key')));
  assert.ok(scopesOf(tokens, 6, 'seed').some((scope) => scope.startsWith('meta.object-literal.key')));
  const line10 = tokens.filter((t) => t.line === 10);
  assert.ok(
    line10.every((t) => !t.scopes.some((s) => s.endsWith('.model-lint'))),
    'an unknown name, a variable and a plain string stay plain',
  );
  const line9 = tokens.filter((t) => t.line === 9);
  assert.ok(
    line9.every((t) => !t.scopes.some((s) => s.endsWith('.model-lint'))),
    'comments stay comments',
  );
});

test('JSON: snake_case names, class names of initializers and activations get their scopes; layer class names do not', async () => {
  const registry = await createRegistry();
  const tokens = await tokenize(registry, 'source.json', readFileSync(join(fixtures, 'keras-model.json'), 'utf8'));
  assert.ok(scopesOf(tokens, 5, 'he_normal').includes('support.constant.initializer.model-lint'));
  assert.ok(scopesOf(tokens, 5, 'relu').includes('support.constant.activation.model-lint'));
  assert.ok(scopesOf(tokens, 7, 'HeNormal').includes('support.constant.initializer.model-lint'));
  assert.ok(!scopesOf(tokens, 5, 'Dense').some((s) => s.endsWith('.model-lint')), 'a layer class name is no initializer');
  assert.ok(!scopesOf(tokens, 8, 'relu').some((s) => s.endsWith('.model-lint')), 'a layer named "relu" is no activation');
  // Values the injection does not claim keep the JSON grammar's scopes.
  assert.ok(scopesOf(tokens, 5, '64').includes('constant.numeric.json'));
});

test('JSONC (source.json.comments) gets the same scopes through its own injection', async () => {
  const registry = await createRegistry();
  const tokens = await tokenize(
    registry,
    'source.json.comments',
    '// a comment\n{ "kernel_initializer": "glorot_uniform", "activation": "tanh" }\n',
  );
  assert.ok(scopesOf(tokens, 2, 'glorot_uniform').includes('support.constant.initializer.model-lint'));
  assert.ok(scopesOf(tokens, 2, 'tanh').includes('support.constant.activation.model-lint'));
});
