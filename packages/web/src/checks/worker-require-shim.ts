/**
 * Imported first by the checks worker. `pluralize` (used by `syllable`, used by the readability
 * grade) is a UMD module: it exports itself only when `typeof require === 'function'`, and in a
 * bundled module worker there is no `require`, so it would export nothing and the checks would
 * fail. A `require` that is never called makes it take its CommonJS branch.
 */
const scope = globalThis as { require?: unknown };
if (typeof scope.require !== 'function') {
  scope.require = (name: string) => {
    throw new Error(`require(${name}) is not available in the checks worker`);
  };
}
