/**
 * One QuickJS runtime + context, the engine of one boot of a fake node. It owns every handle it
 * hands out, so dispose() leaves nothing behind, and it bounds what guest code can do to the
 * test run: a memory limit, and a CPU budget per entry from the host (an endless loop in a
 * callback is interrupted and reported, never a hung test).
 *
 * Values cross the boundary as plain numbers, strings, booleans, undefined and ArrayBuffers.
 * Binary data always travels as an ArrayBuffer: quickjs-emscripten moves strings as C strings,
 * so a NUL byte would cut them short.
 */
import { getQuickJS } from 'quickjs-emscripten';
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten';

export type VmValue = number | string | boolean | undefined | null | ArrayBuffer;
/** A host function: receives converted arguments, returns a value for the guest or nothing. */
export type HostFunction = (...args: VmValue[]) => VmValue | void;

/** An exception that escaped guest code, as the guest saw it. */
export interface VmFault {
  name: string;
  message: string;
  stack: string;
}

export interface QuickVmOptions {
  memoryLimitBytes: number;
  /** Wall-clock milliseconds one entry (an eval or a call, with its promise jobs) may run. */
  budgetMs: number;
  maxStackBytes?: number;
}

let modulePromise: Promise<QuickJSWASMModule> | undefined;

/** The QuickJS module, loaded once per process (sync build: no asyncify). */
let loaded: QuickJSWASMModule | undefined;

export function quickJsModule(): Promise<QuickJSWASMModule> {
  modulePromise ??= getQuickJS().then((m) => (loaded = m));
  return modulePromise;
}

/** The module once quickJsModule() has resolved, for code that must create nodes synchronously. */
export function loadedQuickJsModule(): QuickJSWASMModule {
  if (loaded === undefined) throw new Error('QuickJS is not loaded yet: await quickJsModule() first (e.g. in a suite hook)');
  return loaded;
}

export class QuickVm {
  private readonly runtime: QuickJSRuntime;
  private readonly ctx: QuickJSContext;
  private readonly owned: QuickJSHandle[] = [];
  private deadline = 0;
  private depth = 0;
  private state: 'alive' | 'disposed' = 'alive';

  constructor(module: QuickJSWASMModule, private readonly options: QuickVmOptions) {
    this.runtime = module.newRuntime();
    this.runtime.setMemoryLimit(options.memoryLimitBytes);
    if (options.maxStackBytes !== undefined) this.runtime.setMaxStackSize(options.maxStackBytes);
    this.runtime.setInterruptHandler(() => this.deadline !== 0 && Date.now() > this.deadline);
    this.ctx = this.runtime.newContext();
    // computeMemoryUsage needs a context; point it at ours rather than letting it make another.
    this.runtime.context = this.ctx;
  }

  /** A guest object whose properties are the given host functions. The handle stays owned here. */
  hostObject(functions: Record<string, { fn: HostFunction; buffers?: number[] }>): QuickJSHandle {
    const obj = this.own(this.ctx.newObject());
    for (const [name, { fn, buffers }] of Object.entries(functions)) {
      const handle = this.ctx.newFunction(name, (...args) => {
        const values = args.map((h, i) => this.fromGuest(h, buffers !== undefined && buffers.includes(i)));
        return this.toGuest(fn(...values));
      });
      this.ctx.setProp(obj, name, handle);
      handle.dispose();
    }
    return obj;
  }

  /** A guest value built from JSON-able host data, owned here. */
  data(value: unknown): QuickJSHandle {
    const json = this.ctx.newString(JSON.stringify(value));
    const parse = this.ctx.getProp(this.ctx.global, 'JSON');
    const fn = this.ctx.getProp(parse, 'parse');
    const result = this.ctx.callFunction(fn, parse, json);
    json.dispose();
    fn.dispose();
    parse.dispose();
    return this.own(this.ctx.unwrapResult(result));
  }

  /** Evaluates a script; the value is dropped. Returns the fault, if guest code threw. */
  evalScript(code: string, filename: string): VmFault | undefined {
    return this.enter(() => this.ctx.evalCode(code, filename));
  }

  /** Evaluates code within the budget and returns its completion value as JSON-able data. */
  evalData(code: string, filename: string): { value?: unknown; fault?: VmFault } {
    let value: unknown;
    const fault = this.enter(() => {
      const result = this.ctx.evalCode(code, filename);
      if (result.error !== undefined) return result;
      value = this.ctx.dump(result.value);
      return result;
    });
    return fault === undefined ? { value } : { fault };
  }

  /** Evaluates an expression and keeps its value (owned here, released by dispose()). */
  evalValue(code: string, filename: string): QuickJSHandle {
    const result = this.ctx.evalCode(code, filename);
    if (result.error !== undefined) {
      const fault = this.fault(result.error);
      result.error.dispose();
      throw new Error(`${filename}: ${fault.name}: ${fault.message}\n${fault.stack}`);
    }
    return this.own(result.value);
  }

  /** Calls a guest function with host values as arguments. Returns the fault, if it threw. */
  call(fn: QuickJSHandle, args: VmValue[], thisArg?: QuickJSHandle): VmFault | undefined {
    return this.enter(() => {
      const handles = args.map((a) => this.toGuest(a));
      try {
        return this.ctx.callFunction(fn, thisArg ?? this.ctx.undefined, ...handles);
      } finally {
        for (const h of handles) h.dispose();
      }
    });
  }

  /** Calls a guest function during setup and keeps its result (owned here); throws if it threw. */
  invoke(fn: QuickJSHandle, args: QuickJSHandle[]): QuickJSHandle {
    const result = this.ctx.callFunction(fn, this.ctx.undefined, ...args);
    if (result.error !== undefined) {
      const fault = this.fault(result.error);
      result.error.dispose();
      throw new Error(`${fault.name}: ${fault.message}\n${fault.stack}`);
    }
    return this.own(result.value);
  }

  /**
   * QuickJS's own memory accounting (JS_ComputeMemoryUsage). From the host (not inside a guest
   * call) pending promise jobs run first, so they are not counted as live.
   */
  memoryUsage(): Record<string, number> {
    if (this.depth === 0) {
      this.deadline = Date.now() + this.options.budgetMs;
      try {
        this.runJobs();
      } finally {
        this.deadline = 0;
      }
    }
    const handle = this.runtime.computeMemoryUsage();
    const usage = this.ctx.dump(handle) as Record<string, number>;
    handle.dispose();
    return usage;
  }

  dispose(): void {
    if (this.state === 'disposed') return;
    this.state = 'disposed';
    for (const h of this.owned.splice(0)) if (h.alive) h.dispose();
    this.runtime.context = undefined;
    this.ctx.dispose();
    this.runtime.dispose();
  }

  private enter(run: () => { error?: QuickJSHandle; value?: QuickJSHandle }): VmFault | undefined {
    if (this.state === 'disposed') throw new Error('QuickVm: entered after dispose()');
    const outer = this.depth === 0;
    if (outer) this.deadline = Date.now() + this.options.budgetMs;
    this.depth++;
    try {
      const result = run();
      if (result.error !== undefined) {
        const fault = this.fault(result.error);
        result.error.dispose();
        return fault;
      }
      result.value?.dispose();
      return outer ? this.runJobs() : undefined;
    } finally {
      this.depth--;
      if (outer) this.deadline = 0;
    }
  }

  /** Runs promise jobs; a job that fails uncatchably (an interrupt) is returned as a fault. */
  private runJobs(): VmFault | undefined {
    const result = this.runtime.executePendingJobs();
    if (result.error === undefined) return undefined;
    const fault = this.fault(result.error);
    result.error.dispose();
    return fault;
  }

  private fault(handle: QuickJSHandle): VmFault {
    const dumped: unknown = this.ctx.dump(handle);
    if (dumped !== null && typeof dumped === 'object') {
      const e = dumped as { name?: unknown; message?: unknown; stack?: unknown };
      return { name: String(e.name ?? 'Error'), message: String(e.message ?? ''), stack: String(e.stack ?? '') };
    }
    return { name: '', message: String(dumped), stack: '' };
  }

  private fromGuest(h: QuickJSHandle, buffer: boolean): VmValue {
    const type = this.ctx.typeof(h);
    if (type === 'number') return this.ctx.getNumber(h);
    if (type === 'string') return this.ctx.getString(h);
    if (type === 'undefined') return undefined;
    if (type === 'boolean') return this.ctx.dump(h) as boolean;
    if (buffer && type === 'object') {
      const view = this.ctx.getArrayBuffer(h);
      const copy = view.value.slice().buffer;
      view.dispose();
      return copy;
    }
    return this.ctx.dump(h) as VmValue;
  }

  private toGuest(value: VmValue | void): QuickJSHandle {
    if (value === undefined) return this.ctx.undefined;
    if (value === null) return this.ctx.null;
    if (typeof value === 'number') return this.ctx.newNumber(value);
    if (typeof value === 'string') return this.ctx.newString(value);
    if (typeof value === 'boolean') return value ? this.ctx.true : this.ctx.false;
    return this.ctx.newArrayBuffer(value);
  }

  private own(h: QuickJSHandle): QuickJSHandle {
    this.owned.push(h);
    return h;
  }
}
