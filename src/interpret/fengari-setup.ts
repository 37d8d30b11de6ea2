/**
 * Runs before fengari is loaded: fengari's modules copy luaconf's number formatting when they load,
 * so it is replaced here first. gopher-lua prints floats with Go's formatting, integral values as
 * integers (`3`, never `3.0`): LUA_COMPAT_FLOATSTRING stops the `.0` suffix.
 */
// fengari's own load order (defs before luaconf: they require each other). fengari declares
// "sideEffects": false, so the module must be used or the bundler drops the import.
import * as core from 'fengari/src/fengaricore.js';
import * as luaconfNs from 'fengari/src/luaconf.js';
import * as lstringNs from 'fengari/src/lstring.js';
import { formatNumber } from './numbers';

const luaconf = (luaconfNs as { default?: Record<string, unknown> }).default ?? (luaconfNs as unknown as Record<string, unknown>);
luaconf.LUA_COMPAT_FLOATSTRING = true;
luaconf.FENGARI_VERSION_USED = (core as { FENGARI_VERSION?: string }).FENGARI_VERSION;
luaconf.lua_number2str = (n: number) => formatNumber(n);

/**
 * No string may exceed MAX_LUA_STRING bytes. The reference has no limit at all (a script doubling a
 * string 40 times takes the machine's memory); here the string functions and `..` fail with a Lua
 * error instead. lvm.js copies `luaS_bless` when it loads, so it is wrapped before fengari loads.
 */
export const MAX_LUA_STRING = 64 * 1024 * 1024;
export const stringLimit: { raise?: (L: unknown, msg: string) => never } = {};
const lstring = (lstringNs as { default?: Record<string, unknown> }).default ?? (lstringNs as unknown as Record<string, unknown>);
const bless = lstring.luaS_bless as (L: unknown, s: Uint8Array) => unknown;
lstring.luaS_bless = (L: unknown, str: Uint8Array) => {
  if (str.length > MAX_LUA_STRING && stringLimit.raise) {
    stringLimit.raise(L, `string length ${str.length} exceeds the limit of ${MAX_LUA_STRING} bytes`);
  }
  return bless(L, str);
};
