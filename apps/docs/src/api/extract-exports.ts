import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** One exported name of one entry point, with what the reference shows for it. */
export interface ExportDoc {
  readonly name: string;
  /** 'function', 'class', 'interface', 'type', 'const', 'enum' or 'namespace'. */
  readonly kind: string;
  /** The doc comment's text (empty when there is none). */
  readonly doc: string;
  /** `@param`, `@returns`, `@example`… tags, as `[tag, text]`. */
  readonly tags: readonly (readonly [string, string])[];
  /** Signatures of a function, or the declaration's text for types, classes and constants. */
  readonly signature: string;
  /** Source file, relative to the package. */
  readonly source: string;
}

/** The exports of one entry point (`@rheo/models` or `@rheo/models/node`). */
export interface EntryDoc {
  readonly specifier: string;
  readonly exports: readonly ExportDoc[];
}

interface Manifest {
  readonly name: string;
  readonly exports: Record<string, { readonly types?: string; readonly default?: string } | string>;
}

/** Entry points of a workspace package, as its development `exports` name them (`src/*.ts`). */
export function entryPoints(packageDir: string): { specifier: string; file: string }[] {
  const m = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as Manifest;
  return Object.entries(m.exports).map(([sub, target]) => {
    const file = typeof target === 'string' ? target : (target.types ?? target.default);
    if (file === undefined) throw new Error(`entryPoints(packageDir): ${m.name} export ${sub} has no "types" or "default" path`);
    return { specifier: sub === '.' ? m.name : `${m.name}/${sub.replace(/^\.\//, '')}`, file: join(packageDir, file) };
  });
}

function kindOf(decl: ts.Declaration, symbol: ts.Symbol): string {
  if (ts.isFunctionDeclaration(decl)) return 'function';
  if (ts.isClassDeclaration(decl)) return 'class';
  if (ts.isInterfaceDeclaration(decl)) return 'interface';
  if (ts.isTypeAliasDeclaration(decl)) return 'type';
  if (ts.isEnumDeclaration(decl)) return 'enum';
  if (ts.isModuleDeclaration(decl) || ts.isSourceFile(decl)) return 'namespace';
  if (ts.isVariableDeclaration(decl)) {
    const init = decl.initializer;
    return init !== undefined && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? 'function' : 'const';
  }
  return symbol.flags & ts.SymbolFlags.Function ? 'function' : 'const';
}

const MAX_DECLARATION_LINES = 40;

/** A declaration's source text without its body: enough to read its shape. */
function declarationText(decl: ts.Declaration, checker: ts.TypeChecker, symbol: ts.Symbol): string {
  if (ts.isVariableDeclaration(decl)) {
    const type = checker.typeToString(checker.getTypeOfSymbolAtLocation(symbol, decl), decl, ts.TypeFormatFlags.NoTruncation);
    return `const ${symbol.getName()}: ${type}`;
  }
  if (ts.isClassDeclaration(decl)) {
    const members = decl.members
      .filter((m) => !(ts.getCombinedModifierFlags(m as ts.Declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)))
      .filter((m) => m.name === undefined || !ts.isPrivateIdentifier(m.name))
      .map((m) => '  ' + m.getText().replace(/\{[\s\S]*\}\s*$/, '').replace(/\s+/g, ' ').trim().replace(/;?$/, ';'));
    const head = decl.getText().slice(0, decl.members.pos - decl.getStart()).replace(/\s+/g, ' ').trim();
    return [`${head}`, ...members, '}'].join('\n');
  }
  const text = decl.getText().replace(/^export\s+/, '');
  const lines = text.split('\n');
  return lines.length > MAX_DECLARATION_LINES ? [...lines.slice(0, MAX_DECLARATION_LINES), '  // …'].join('\n') : text;
}

function functionSignatures(symbol: ts.Symbol, decl: ts.Declaration, checker: ts.TypeChecker): string {
  const type = checker.getTypeOfSymbolAtLocation(symbol, decl);
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.WriteArrowStyleSignature;
  return type.getCallSignatures()
    .map((s) => `function ${symbol.getName()}${checker.signatureToString(s, decl, flags & ~ts.TypeFormatFlags.WriteArrowStyleSignature)}`)
    .join('\n');
}

/**
 * Every exported name of each entry point of each package, read with the
 * TypeScript compiler from the packages' source (one program for all of
 * them): re-exports are followed to the declaration that carries the doc comment.
 */
export function extractPackages(packageDirs: readonly string[]): EntryDoc[][] {
  const all = packageDirs.map((dir) => ({ dir, entries: entryPoints(dir) }));
  const program = ts.createProgram(all.flatMap((p) => p.entries.map((e) => e.file)), {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true, skipLibCheck: true, noEmit: true, allowImportingTsExtensions: false, types: ['node'], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  });
  const checker = program.getTypeChecker();
  return all.map(({ dir, entries }) => entries.map(({ specifier, file }) => extractEntry(checker, program, dir, specifier, file)));
}

function extractEntry(checker: ts.TypeChecker, program: ts.Program, packageDir: string, specifier: string, file: string): EntryDoc {
  {
    const sf = program.getSourceFile(file);
    if (sf === undefined) throw new Error(`extractPackages(packageDirs): ${file} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    if (moduleSymbol === undefined) throw new Error(`extractPackages(packageDirs): ${file} is not a module`);
    const exports = checker.getExportsOfModule(moduleSymbol).map((exported): ExportDoc => {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decls = symbol.getDeclarations() ?? [];
      const decl = decls[0];
      if (decl === undefined) throw new Error(`extractPackages(packageDirs): ${specifier} export ${exported.getName()} has no declaration`);
      const kind = kindOf(decl, symbol);
      const docDecl = decls.find((d) => ts.getJSDocCommentsAndTags(d).length > 0) ?? decl;
      const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      const tags = symbol.getJsDocTags(checker).map((t) => [t.name, ts.displayPartsToString(t.text ?? []).trim()] as const);
      const signature = kind === 'function' ? functionSignatures(symbol, decl, checker) : declarationText(decl, checker, symbol);
      return { name: exported.getName(), kind, doc, tags, signature, source: docDecl.getSourceFile().fileName.slice(packageDir.length + 1) };
    });
    return { specifier, exports: exports.sort((a, b) => a.name.localeCompare(b.name)) };
  }
}
