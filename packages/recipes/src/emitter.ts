// Typed listener sets for recipe events: `on(name, fn)` returns the function that unsubscribes.
// A throwing listener is reported and does not stop the others; 'error' events with no listener
// go to console.error rather than vanish.

export class Emitter<E extends { [K in keyof E]: (...args: never[]) => void }> {
  private readonly listeners = new Map<keyof E, Set<E[keyof E]>>();

  on<K extends keyof E>(name: K, listener: E[K]): () => void {
    let set = this.listeners.get(name);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends keyof E>(name: K, ...args: Parameters<E[K]>): void {
    const set = this.listeners.get(name);
    if (set === undefined || set.size === 0) {
      if (name === 'error') console.error('@zk/recipes:', ...args);
      return;
    }
    for (const listener of [...set]) {
      try {
        (listener as (...a: Parameters<E[K]>) => void)(...args);
      } catch (err) {
        console.error(`@zk/recipes: a '${String(name)}' listener threw`, err);
      }
    }
  }
}
