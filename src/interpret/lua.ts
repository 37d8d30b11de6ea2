/**
 * The Lua environment of Karmada's resource interpreter (gopher-lua, Lua 5.1 semantics), on fengari
 * (a Lua 5.3 VM in JavaScript, synchronous, with debug hooks). What makes it behave like Karmada's:
 *  - only the libraries Karmada opens (base, package with the `kube` preload, table, string, math,
 *    os.time/os.date); every function Karmada replaces raises Karmada's message;
 *  - numbers: every value from Go arrives as a float and floats print like gopher-lua (`3`, not `3.0`);
 *  - a 1 s deadline per execution checked every 1000 instructions (stops `while true do end`);
 *  - call depth limited to 255 Lua frames (`stack overflow`).
 * Conversion both ways follows §7.8/§7.9 of the spec (nulls dropped, empty tables repaired by path).
 */
// fengari-setup must run before fengari loads (it sets luaconf's number formatting).
import { stringLimit } from './fengari-setup';
import * as fengariPkg from 'fengari';
import * as lobjectNs from 'fengari/src/lobject.js';
import { kubeFunctions } from './kube';
export { formatNumber, goFloat } from './numbers';

// fengari is CommonJS; loaded on first use so that `interpret --help` never pays for it.
type F = any; // eslint-disable-line @typescript-eslint/no-explicit-any
let fengari: F;
function engine(): F {
  if (fengari) return fengari;
  fengari = (fengariPkg as F).default ?? fengariPkg;
  // gopher-lua has no integer subtype: numeric literals and string→number conversions yield floats
  // (fengari's integers are 32-bit and would wrap: 1024 * 1024 * 1024 * 4 == 0).
  const lobject = (lobjectNs as F).default ?? lobjectNs;
  // a JS exception inside the VM (see atnativeerror in newVM) becomes a Lua error with this text
  stringLimit.raise = (_L: F, msg: string) => {
    nativeError = msg;
    throw new LuaError(msg);
  };
  const str2num = lobject.luaO_str2num;
  lobject.luaO_str2num = (s: Uint8Array, o: F) => {
    const r = str2num(s, o);
    if (r !== 0 && o.ttisinteger()) o.setfltvalue(o.value);
    return r;
  };
  return fengari;
}

export const TIMEOUT_MS = 1000;
export const MAX_DEPTH = 255;
export const MAX_STRING = 1_000_000;

const NOT_SUPPORTED = (name: string) => `call function ${name} is not supported in karmada customized resourceinterpreter.`;
const STRING_NOT_SUPPORTED = (name: string) =>
  `The Lua function string.${name} is not supported by Karmada. If you believe this function is essential for your use case, please submit an issue to let us know why you need it.`;

export class LuaError extends Error {}

/** The message of a JavaScript exception thrown inside the VM (fengari then fails the pcall with status -1). */
let nativeError: string | undefined;

/** Empty Lua table: its JSON shape is decided later by the reference objects (§7.9). */
class EmptyTable {}
const EMPTY = new EmptyTable();

export interface VM {
  /** Calls global `fn` with `args`, returning `nret` results converted to JS (empty tables marked). */
  call(fn: string, args: unknown[], nret: number): unknown[];
  close(): void;
}

export interface VMOptions {
  /** Receives what `print` writes (one call per print). */
  print?: (line: string) => void;
  timeoutMs?: number;
  now?: () => Date;
}

const s2l = (s: string) => fengari.to_luastring(s);
const l2s = (b: Uint8Array) => fengari.to_jsstring(b);

/** Compile only (--check): returns the compiler message or undefined. */
export function compileError(script: string): string | undefined {
  const { lua, lauxlib } = engine();
  const L = lauxlib.luaL_newstate();
  try {
    const rc = lauxlib.luaL_loadbuffer(L, s2l(script), null, s2l('=<string>'));
    if (rc !== lua.LUA_OK) return l2s(lua.lua_tolstring(L, -1)).trim();
    return undefined;
  } finally {
    lua.lua_close(L);
  }
}

/** A fresh sandboxed state with `script` loaded and run (top-level code), the deadline started. */
export function newVM(script: string, opts: VMOptions = {}): VM {
  const { lua, lauxlib, lualib } = engine();
  const L = lauxlib.luaL_newstate();
  const deadline = Date.now() + (opts.timeoutMs ?? TIMEOUT_MS);
  let timedOut = false;

  // Hooks: deadline every 1000 instructions; call depth on every call.
  lua.lua_sethook(
    L,
    (L1: F, ar: F) => {
      if (ar.event === lua.LUA_HOOKCALL || ar.event === lua.LUA_HOOKTAILCALL) {
        let depth = 0;
        for (let ci = L1.ci; ci; ci = ci.previous) if (++depth > MAX_DEPTH + 2) lauxlib.luaL_error(L1, s2l('stack overflow'));
      } else if (Date.now() > deadline) {
        timedOut = true;
        lua.lua_getinfo(L1, s2l('Sl'), ar);
        lua.lua_pushstring(L1, s2l(`<string>:${ar.currentline}: context deadline exceeded`));
        lua.lua_error(L1);
      }
    },
    lua.LUA_MASKCOUNT | lua.LUA_MASKCALL,
    1000,
  );

  const fn = (f: (L: F) => number) => (L1: F) => f(L1);
  const setfield = (name: string, f: (L: F) => number) => {
    lua.lua_pushcfunction(L, fn(f));
    lua.lua_setfield(L, -2, s2l(name));
  };
  const raise = (L1: F, msg: string): never => {
    lauxlib.luaL_error(L1, s2l('%s'), s2l(msg));
    throw new Error('unreachable');
  };
  const checkTimeout = (L1: F) => {
    if (Date.now() > deadline) {
      timedOut = true;
      raise(L1, 'context deadline exceeded');
    }
  };

  // base
  lauxlib.luaL_requiref(L, s2l('_G'), lualib.luaopen_base, 1);
  for (const name of ['collectgarbage', 'dofile', 'getfenv', 'getmetatable', 'load', 'loadfile', 'loadstring', 'rawequal', 'rawget', 'rawset', 'setfenv', 'setmetatable', 'module', 'newproxy']) {
    setfield(name, (L1) => raise(L1, NOT_SUPPORTED(name)));
  }
  lua.lua_pushnil(L);
  lua.lua_setfield(L, -2, s2l('rawlen'));
  lua.lua_pushstring(L, s2l('Lua 5.1'));
  lua.lua_setfield(L, -2, s2l('_VERSION'));
  lua.lua_pushstring(L, s2l('GopherLua 0.1'));
  lua.lua_setfield(L, -2, s2l('_GOPHER_LUA_VERSION'));
  setfield('print', (L1) => {
    const n = lua.lua_gettop(L1);
    const parts: string[] = [];
    for (let i = 1; i <= n; i++) parts.push(l2s(lauxlib.luaL_tolstring(L1, i)));
    lua.lua_settop(L1, n);
    opts.print?.(parts.join('\t'));
    return 0;
  });
  // gopher-lua parses strings without '.' as integers only (tonumber("1e2") is nil).
  const origToNumber = (() => {
    lua.lua_getfield(L, -1, s2l('tonumber'));
    const f = lua.lua_tocfunction(L, -1);
    lua.lua_pop(L, 1);
    return f;
  })();
  setfield('tonumber', (L1) => {
    if (lua.lua_gettop(L1) === 1 && lua.lua_type(L1, 1) === lua.LUA_TSTRING) {
      const s = l2s(lua.lua_tolstring(L1, 1)).trim();
      if (!s.includes('.') && !/^[-+]?0[xX]/.test(s) && /[eE]/.test(s)) {
        lua.lua_pushnil(L1);
        return 1;
      }
      const r = origToNumber(L1);
      if (lua.lua_isinteger(L1, -1)) lua.lua_pushnumber(L1, lua.lua_tonumber(L1, -1));
      return r;
    }
    return origToNumber(L1);
  });
  lua.lua_pop(L, 1);

  // table (+ Lua 5.1's getn/maxn and the global unpack)
  lauxlib.luaL_requiref(L, s2l('table'), lualib.luaopen_table, 1);
  lua.lua_getfield(L, -1, s2l('unpack'));
  lua.lua_setglobal(L, s2l('unpack'));
  lua.lua_pushnil(L);
  lua.lua_setfield(L, -2, s2l('unpack'));
  lua.lua_pushnil(L);
  lua.lua_setfield(L, -2, s2l('move'));
  lua.lua_pushnil(L);
  lua.lua_setfield(L, -2, s2l('pack'));
  setfield('getn', (L1) => {
    lauxlib.luaL_checktype(L1, 1, lua.LUA_TTABLE);
    lua.lua_pushnumber(L1, lua.lua_rawlen(L1, 1));
    return 1;
  });
  setfield('maxn', (L1) => {
    lauxlib.luaL_checktype(L1, 1, lua.LUA_TTABLE);
    let max = 0;
    lua.lua_pushnil(L1);
    while (lua.lua_next(L1, 1)) {
      lua.lua_pop(L1, 1);
      if (lua.lua_type(L1, -1) === lua.LUA_TNUMBER) max = Math.max(max, lua.lua_tonumber(L1, -1));
    }
    lua.lua_pushnumber(L1, max);
    return 1;
  });
  lua.lua_pop(L, 1);

  // string: gsub/rep/dump raise; 5.3 additions removed; format's format string limited.
  lauxlib.luaL_requiref(L, s2l('string'), lualib.luaopen_string, 1);
  for (const name of ['gsub', 'rep', 'dump']) setfield(name, (L1) => raise(L1, STRING_NOT_SUPPORTED(name)));
  for (const name of ['pack', 'unpack', 'packsize']) {
    lua.lua_pushnil(L);
    lua.lua_setfield(L, -2, s2l(name));
  }
  lua.lua_getfield(L, -1, s2l('gmatch'));
  lua.lua_setfield(L, -2, s2l('gfind'));
  for (const name of ['find', 'match', 'gmatch', 'format', 'lower', 'upper', 'byte', 'sub', 'len', 'reverse', 'char']) {
    lua.lua_getfield(L, -1, s2l(name));
    const orig = lua.lua_tocfunction(L, -1);
    lua.lua_pop(L, 1);
    setfield(name, (L1) => {
      checkTimeout(L1);
      if (name === 'format') {
        const f = lua.lua_tolstring(L1, 1);
        if (f && f.length > MAX_STRING) raise(L1, `string length ${f.length} exceeds the maximum allowed input string length ${MAX_STRING} in Karmada lua string lib, please check your lua script.`);
        // gopher-lua's %d truncates floats (Lua 5.3 would refuse 3.7).
        const n = lua.lua_gettop(L1);
        for (let i = 2; i <= n; i++) {
          if (lua.lua_type(L1, i) === lua.LUA_TNUMBER && !lua.lua_isinteger(L1, i)) {
            const v = lua.lua_tonumber(L1, i);
            if (Number.isFinite(v)) {
              // keep floats for %f/%g; %d/%x get the truncated value (Lua 5.3 accepts integral floats)
              const spec = formatSpecFor(l2s(f), i - 1);
              if (spec && /[dixXoc]/.test(spec)) {
                lua.lua_pushnumber(L1, Math.trunc(v));
                lua.lua_replace(L1, i);
              }
            }
          }
        }
      }
      const n = orig(L1);
      // gopher-lua: a failed string.match returns no value at all (select('#', ...) == 0)
      if (name === 'match' && n === 1 && lua.lua_isnil(L1, -1)) {
        lua.lua_pop(L1, 1);
        return 0;
      }
      return n;
    });
  }
  lua.lua_pop(L, 1);

  // math (Lua 5.1 set)
  lauxlib.luaL_requiref(L, s2l('math'), lualib.luaopen_math, 1);
  lua.lua_pushnumber(L, Number.MAX_VALUE);
  lua.lua_setfield(L, -2, s2l('huge'));
  for (const name of ['tointeger', 'ult', 'maxinteger', 'mininteger', 'type']) {
    lua.lua_pushnil(L);
    lua.lua_setfield(L, -2, s2l(name));
  }
  const num1 = (name: string, f: (...a: number[]) => number, arity = 1) =>
    setfield(name, (L1) => {
      const a: number[] = [];
      for (let i = 1; i <= arity; i++) a.push(lauxlib.luaL_checknumber(L1, i));
      lua.lua_pushnumber(L1, f(...a));
      return 1;
    });
  num1('cosh', Math.cosh);
  num1('sinh', Math.sinh);
  num1('tanh', Math.tanh);
  num1('log10', Math.log10);
  num1('pow', Math.pow, 2);
  num1('atan2', Math.atan2, 2);
  num1('ldexp', (m, e) => m * 2 ** e, 2);
  num1('mod', (a, b) => a % b, 2);
  num1('fmod', (a, b) => a % b, 2);
  // floor/ceil return floats like gopher-lua (they print the same).
  num1('floor', Math.floor);
  num1('ceil', Math.ceil);
  setfield('frexp', (L1) => {
    const x = lauxlib.luaL_checknumber(L1, 1);
    if (x === 0 || !Number.isFinite(x)) {
      lua.lua_pushnumber(L1, x);
      lua.lua_pushnumber(L1, 0);
      return 2;
    }
    let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(x))) + 1);
    let m = x * 2 ** -e;
    while (Math.abs(m) < 0.5) { m *= 2; e--; }
    while (Math.abs(m) >= 1) { m /= 2; e++; }
    lua.lua_pushnumber(L1, m);
    lua.lua_pushnumber(L1, e);
    return 2;
  });
  lua.lua_pop(L, 1);

  // os: only time and date
  lua.lua_newtable(L);
  const now = opts.now ?? (() => new Date());
  setfield('time', (L1) => {
    if (lua.lua_type(L1, 1) === lua.LUA_TTABLE) {
      const get = (k: string, d: number) => {
        lua.lua_getfield(L1, 1, s2l(k));
        const v = lua.lua_isnumber(L1, -1) ? lua.lua_tonumber(L1, -1) : d;
        lua.lua_pop(L1, 1);
        return v;
      };
      const t = new Date(get('year', 1970), get('month', 1) - 1, get('day', 1), get('hour', 12), get('min', 0), get('sec', 0));
      lua.lua_pushnumber(L1, Math.floor(t.getTime() / 1000));
    } else {
      lua.lua_pushnumber(L1, Math.floor(now().getTime() / 1000));
    }
    return 1;
  });
  setfield('date', (L1) => {
    let fmt = lua.lua_isnoneornil(L1, 1) ? '%c' : l2s(lauxlib.luaL_checkstring(L1, 1));
    const hasTime = !lua.lua_isnoneornil(L1, 2);
    const t = hasTime ? new Date(lauxlib.luaL_checknumber(L1, 2) * 1000) : now();
    let utc = false;
    if (fmt.startsWith('!')) {
      fmt = fmt.slice(1);
      utc = !hasTime;
    }
    const p = dateParts(t, utc);
    if (fmt === '*t') {
      lua.lua_newtable(L1);
      for (const [k, v] of [['year', p.year], ['month', p.month], ['day', p.day], ['hour', p.hour], ['min', p.min], ['sec', p.sec], ['wday', p.wday + 1], ['yday', 0]] as const) {
        lua.lua_pushnumber(L1, v);
        lua.lua_setfield(L1, -2, s2l(k));
      }
      lua.lua_pushboolean(L1, false);
      lua.lua_setfield(L1, -2, s2l('isdst'));
      return 1;
    }
    lua.lua_pushstring(L1, s2l(strftime(fmt, p)));
    return 1;
  });
  lua.lua_setglobal(L, s2l('os'));

  // package + require: only package.preload (holding kube).
  lua.lua_newtable(L);
  lua.lua_newtable(L);
  lua.lua_setfield(L, -2, s2l('loaded'));
  lua.lua_newtable(L);
  lua.lua_pushcfunction(L, (L1: F) => {
    lua.lua_newtable(L1);
    for (const [name, f] of Object.entries(kubeFunctions(luaBridge(L1)))) {
      lua.lua_pushcfunction(L1, (L2: F) => {
        checkTimeout(L2);
        return f(luaBridge(L2));
      });
      lua.lua_setfield(L1, -2, s2l(name));
    }
    return 1;
  });
  lua.lua_setfield(L, -2, s2l('kube'));
  lua.lua_setfield(L, -2, s2l('preload'));
  setfield('loadlib', (L1) => raise(L1, 'loadlib is not supported'));
  lua.lua_setglobal(L, s2l('package'));
  lua.lua_pushcfunction(L, (L1: F) => {
    const name = l2s(lauxlib.luaL_checkstring(L1, 1));
    lua.lua_getglobal(L1, s2l('package'));
    lua.lua_getfield(L1, -1, s2l('loaded'));
    lua.lua_getfield(L1, -1, s2l(name));
    if (!lua.lua_isnil(L1, -1)) return 1;
    lua.lua_pop(L1, 1);
    lua.lua_getfield(L1, -2, s2l('preload'));
    lua.lua_getfield(L1, -1, s2l(name));
    if (lua.lua_isnil(L1, -1)) raise(L1, `module ${name} not found:\n\tno field package.preload['${name}'], `);
    lua.lua_pushstring(L1, s2l(name));
    lua.lua_call(L1, 1, 1);
    lua.lua_pushvalue(L1, -1);
    lua.lua_setfield(L1, -4, s2l(name));
    return 1;
  });
  lua.lua_setglobal(L, s2l('require'));

  const errorText = () => {
    if (nativeError !== undefined) {
      const m = nativeError;
      nativeError = undefined;
      return m;
    }
    const v = lua.lua_type(L, -1) === lua.LUA_TSTRING ? l2s(lua.lua_tolstring(L, -1)) : l2s(lauxlib.luaL_tolstring(L, -1));
    return timedOut && !v.includes('context deadline exceeded') ? `${v} (context deadline exceeded)` : v;
  };

  if (lauxlib.luaL_loadbuffer(L, s2l(script), null, s2l('=<string>')) !== lua.LUA_OK) {
    const msg = errorText();
    lua.lua_close(L);
    throw new LuaError(msg);
  }
  if (lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
    const msg = errorText();
    lua.lua_close(L);
    throw new LuaError(msg);
  }

  return {
    call(name, args, nret) {
      lua.lua_settop(L, 0);
      lua.lua_getglobal(L, s2l(name));
      const t = lua.lua_type(L, -1);
      if (t === lua.LUA_TNIL) throw new LuaError(`not found function ${name}`);
      if (t !== lua.LUA_TFUNCTION) throw new LuaError(`${name} is not a function: ${l2s(lua.lua_typename(L, t))}`);
      for (const a of args) pushValue(L, a);
      nativeError = undefined;
      if (lua.lua_pcall(L, args.length, nret, 0) !== lua.LUA_OK) throw new LuaError(errorText());
      const out: unknown[] = [];
      for (let i = 1; i <= nret; i++) out.push(toLuaValue(L, i));
      return out;
    },
    close() {
      lua.lua_close(L);
    },
  };
}

function formatSpecFor(fmt: string, argIndex: number): string | undefined {
  const re = /%[-+ #0]*\d*(?:\.\d*)?([a-zA-Z%])/g;
  let i = 0;
  for (let m = re.exec(fmt); m; m = re.exec(fmt)) {
    if (m[1] === '%') continue;
    if (++i === argIndex) return m[1];
  }
  return undefined;
}

interface DateParts { year: number; month: number; day: number; hour: number; min: number; sec: number; wday: number; tz: string; offset: number }
function dateParts(t: Date, utc: boolean): DateParts {
  if (utc) return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: t.getUTCHours(), min: t.getUTCMinutes(), sec: t.getUTCSeconds(), wday: t.getUTCDay(), tz: 'UTC', offset: 0 };
  const off = -t.getTimezoneOffset();
  return { year: t.getFullYear(), month: t.getMonth() + 1, day: t.getDate(), hour: t.getHours(), min: t.getMinutes(), sec: t.getSeconds(), wday: t.getDay(), tz: off === 0 ? 'UTC' : 'Local', offset: off };
}
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
function strftime(fmt: string, p: DateParts): string {
  const z = (n: number, w = 2) => String(n).padStart(w, '0');
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const off = `${p.offset < 0 ? '-' : '+'}${z(Math.floor(Math.abs(p.offset) / 60))}${z(Math.abs(p.offset) % 60)}`;
  const map: Record<string, string> = {
    a: 'mon', A: DAYS[p.wday], b: MONTHS[p.month - 1].slice(0, 3), B: MONTHS[p.month - 1],
    c: `${z(p.day)} ${MONTHS[p.month - 1].slice(0, 3)} ${z(p.year % 100)} ${z(p.hour)}:${z(p.min)} ${p.tz}`,
    d: z(p.day), F: `${p.year}-${z(p.month)}-${z(p.day)}`, H: z(p.hour), I: z(h12), m: z(p.month), M: z(p.min),
    p: p.hour < 12 ? 'AM' : 'PM', P: p.hour < 12 ? 'am' : 'pm', S: z(p.sec), w: String(p.wday),
    x: `${z(p.hour)}/${z(p.min)}/${z(p.sec)}`, X: `${z(p.hour)}:${z(p.min)}:${z(p.sec)}`, y: z(p.year % 100), Y: String(p.year), z: off, Z: p.tz,
  };
  return fmt.replace(/%(.)/g, (m, c: string) => map[c] ?? m);
}

/** Go value (JSON-shaped) → Lua: nulls dropped (in arrays too, later elements shift), numbers as floats. */
export function pushValue(L: F, v: unknown): void {
  const { lua } = engine();
  if (!lua.lua_checkstack(L, 3)) throw new LuaError('stack overflow');
  if (v === null || v === undefined) lua.lua_pushnil(L);
  else if (typeof v === 'boolean') lua.lua_pushboolean(L, v);
  else if (typeof v === 'number') lua.lua_pushnumber(L, v);
  else if (typeof v === 'bigint') lua.lua_pushnumber(L, Number(v));
  else if (typeof v === 'string') lua.lua_pushstring(L, s2l(v));
  else if (Array.isArray(v)) {
    lua.lua_createtable(L, v.length, 0);
    let i = 0;
    for (const e of v) {
      if (e === null || e === undefined) continue;
      pushValue(L, e);
      lua.lua_rawseti(L, -2, ++i);
    }
  } else if (v instanceof EmptyTable) lua.lua_newtable(L);
  else if (typeof v === 'object') {
    lua.lua_newtable(L);
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
      if (e === null || e === undefined) continue;
      pushValue(L, e);
      lua.lua_setfield(L, -2, s2l(k));
    }
  } else lua.lua_pushnil(L);
}

/** Lua value → JS following gopher-json's rules; empty tables come back as the EMPTY marker. */
export function toLuaValue(L: F, idx: number, seen: Set<unknown> = new Set()): unknown {
  const { lua } = engine();
  idx = lua.lua_absindex(L, idx);
  if (!lua.lua_checkstack(L, 3)) throw new LuaError('stack overflow');
  switch (lua.lua_type(L, idx)) {
    case lua.LUA_TNIL:
    case lua.LUA_TNONE:
      return null;
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, idx);
    case lua.LUA_TNUMBER:
      return lua.lua_tonumber(L, idx);
    case lua.LUA_TSTRING:
      return l2s(lua.lua_tolstring(L, idx));
    case lua.LUA_TTABLE: {
      const p = lua.lua_topointer(L, idx);
      if (seen.has(p)) throw new LuaError('cannot encode recursively nested tables to JSON');
      seen.add(p);
      const num: [number, unknown][] = [];
      const str: [string, unknown][] = [];
      let first: 'num' | 'str' | undefined;
      lua.lua_pushnil(L);
      while (lua.lua_next(L, idx)) {
        const kt = lua.lua_type(L, -2);
        const val = toLuaValue(L, -1, seen);
        if (kt === lua.LUA_TNUMBER) {
          first ??= 'num';
          num.push([lua.lua_tonumber(L, -2), val]);
        } else if (kt === lua.LUA_TSTRING) {
          first ??= 'str';
          str.push([l2s(lua.lua_tolstring(L, -2)), val]);
        } else {
          lua.lua_pop(L, 2);
          throw new LuaError('cannot encode mixed or invalid key types');
        }
        lua.lua_pop(L, 1);
      }
      if (!first) return EMPTY;
      if (first === 'num') {
        if (str.length) throw new LuaError('cannot encode mixed or invalid key types');
        num.sort((a, b) => a[0] - b[0]);
        num.forEach(([k], i) => {
          if (k !== i + 1) throw new LuaError('cannot encode sparse array');
        });
        return num.map(([, v]) => v);
      }
      if (num.length) throw new LuaError('cannot encode mixed or invalid key types');
      return Object.fromEntries(str);
    }
    default:
      throw new LuaError(`cannot encode ${l2s(lua.lua_typename(L, lua.lua_type(L, idx)))} to JSON`);
  }
}

export const isEmptyTable = (v: unknown): boolean => v instanceof EmptyTable;

/**
 * §7.9 step 2: a whole-result empty table becomes `{}` (object targets) or `[]` (lists); nested empty
 * tables take the shape the reference objects have at the same key path, else they are deleted.
 */
export function repairEmpty(v: unknown, target: 'object' | 'list', refs: unknown[] = []): unknown {
  if (v instanceof EmptyTable) return target === 'object' ? {} : [];
  const shapes = new Map<string, 'object' | 'list'>();
  const walkRef = (r: unknown, path: string) => {
    if (Array.isArray(r)) {
      if (r.length === 0 && !shapes.has(path)) shapes.set(path, 'list');
      for (const e of r) walkRef(e, path);
    } else if (r && typeof r === 'object') {
      const entries = Object.entries(r);
      if (entries.length === 0 && !shapes.has(path)) shapes.set(path, 'object');
      for (const [k, e] of entries) walkRef(e, path ? `${path}\u0000${k}` : k);
    }
  };
  for (const r of refs) walkRef(r, '');
  const fix = (x: unknown, path: string): unknown => {
    if (Array.isArray(x)) {
      const out: unknown[] = [];
      for (const e of x) {
        if (e instanceof EmptyTable) {
          const s = shapes.get(path);
          if (s) out.push(s === 'object' ? {} : []);
        } else out.push(fix(e, path));
      }
      return out;
    }
    if (x && typeof x === 'object' && !(x instanceof EmptyTable)) {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(x)) {
        const p = path ? `${path}\u0000${k}` : k;
        if (e instanceof EmptyTable) {
          const s = shapes.get(p);
          if (s) out[k] = s === 'object' ? {} : [];
        } else out[k] = fix(e, p);
      }
      return out;
    }
    return x;
  };
  return fix(v, '');
}

/** What the kube library functions see: argument access and result pushing on one Lua state. */
export interface LuaBridge {
  nargs(): number;
  /** Argument i (1-based) as JS; tables converted with empty tables deleted (no references). */
  arg(i: number): unknown;
  argType(i: number): string;
  push(v: unknown): void;
  error(msg: string): never;
}

function luaBridge(L: F): LuaBridge {
  const { lua, lauxlib } = engine();
  return {
    nargs: () => lua.lua_gettop(L),
    arg: (i) => {
      try {
        return repairEmpty(toLuaValue(L, i), 'object');
      } catch (e) {
        lauxlib.luaL_error(L, s2l('%s'), s2l((e as Error).message));
        throw e;
      }
    },
    argType: (i) => l2s(lua.lua_typename(L, lua.lua_type(L, i))),
    push: (v) => pushValue(L, v),
    error: (msg) => {
      lauxlib.luaL_error(L, s2l('%s'), s2l(msg));
      throw new Error('unreachable');
    },
  };
}

/** gopher-lua's numeric type codes used in `result type <n> is not ...` messages. */
export function luaTypeCode(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'boolean') return 1;
  if (typeof v === 'number') return 2;
  if (typeof v === 'string') return 3;
  return 7;
}
export function luaTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'string') return 'string';
  return 'table';
}
