// What `undo` restores: before each edit, the file's previous content (or null when the edit created
// it), one stack per real path.

/** Bounds memory: each entry may hold a whole file (up to the editor's size cap). */
const MAX_UNDO_STEPS_PER_FILE = 10;

export class EditHistory {
  readonly #stacks = new Map<string, Array<string | null>>();

  record(filePath: string, previousContent: string | null): void {
    const stack = this.#stacks.get(filePath) ?? [];
    stack.push(previousContent);
    if (stack.length > MAX_UNDO_STEPS_PER_FILE) stack.shift();
    this.#stacks.set(filePath, stack);
  }

  /** The content before the latest edit: a string, null (the file did not exist), or undefined (nothing to undo). */
  takeLatest(filePath: string): string | null | undefined {
    const stack = this.#stacks.get(filePath);
    if (!stack || stack.length === 0) return undefined;
    const previous = stack.pop();
    if (stack.length === 0) this.#stacks.delete(filePath);
    return previous;
  }

  clear(): void {
    this.#stacks.clear();
  }
}
