/**
 * CEL's `has(e.f)` takes any expression `e` (`has(self.items[0].name)`, `has(self.m['k'].x)`,
 * `has(f(x).y)`), as cel-go and so Kubernetes accept; cel-js 8 only accepts a chain of field
 * selections rooted in a variable (marcbachmann/cel-js#104, open). Widely used CRDs rely on the
 * general form, so after parsing we give each `has()` macro a type check that accepts any base
 * expression. cel-js's own `evaluate` for the macro already evaluates an arbitrary base node and
 * then tests the selected fields, so only the check needs replacing.
 */

/** The parts of a cel-js AST node this touches (not exported by its typings). */
interface Node {
  op: string;
  args: unknown;
  meta: { alternate?: Node; macro?: HasMacro };
}

interface HasMacro {
  args: Node[];
  macroHasProps?: Node[];
  typeCheck(checker: Checker, macro: HasMacro, ctx: unknown): unknown;
}

interface Checker {
  check(node: Node, ctx: unknown): unknown;
  getType(name: string): unknown;
  createError(code: string, message: string, node: Node): Error;
}

const isNode = (x: unknown): x is Node =>
  typeof x === 'object' && x !== null && typeof (x as Node).op === 'string' && 'meta' in (x as object);

/** Rewrites, in place, the type check of every `has()` macro under `root`. */
export function widenHasMacros(root: unknown): void {
  const seen = new Set<unknown>();
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) { for (const x of v) visit(x); return; }
    if (!isNode(v)) { for (const x of Object.values(v)) visit(x); return; }
    const macro = v.meta.macro;
    if (macro && v.op === 'call' && Array.isArray(v.args) && v.args[0] === 'has') macro.typeCheck = typeCheckHas;
    visit(v.args);
    visit(v.meta.alternate);
    if (macro) visit(macro.args);
  };
  visit(root);
}

/**
 * The argument must be a field selection (`e.f` or `e.?f`); `e` may be any expression. Records
 * the selections outermost-first followed by the base, the layout cel-js's evaluate expects.
 */
function typeCheckHas(checker: Checker, macro: HasMacro, ctx: unknown): unknown {
  let node = macro.args[0];
  if (node.op !== '.' && node.op !== '.?') {
    throw checker.createError('invalid_macro_argument', 'has() invalid argument', node);
  }
  if (!macro.macroHasProps) {
    const props: Node[] = [];
    while (node.op === '.' || node.op === '.?') {
      props.push(node);
      node = (node.args as Node[])[0];
    }
    checker.check(node, ctx);
    props.push(node);
    macro.macroHasProps = props;
  }
  return checker.getType('bool');
}
