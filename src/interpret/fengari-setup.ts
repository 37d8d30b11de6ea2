/**
 * Runs before fengari is loaded: fengari's modules copy luaconf's number formatting when they load,
 * so it is replaced here first. gopher-lua prints floats with Go's formatting, integral values as
 * integers (`3`, never `3.0`): LUA_COMPAT_FLOATSTRING stops the `.0` suffix.
 */
// fengari's own load order (defs before luaconf: they require each other). fengari declares
// "sideEffects": false, so the module must be used or the bundler drops the import.
import * as core from 'fengari/src/fengaricore.js';
import * as luaconfNs from 'fengari/src/luaconf.js';
import { formatNumber } from './numbers';

const luaconf = (luaconfNs as { default?: Record<string, unknown> }).default ?? (luaconfNs as unknown as Record<string, unknown>);
luaconf.LUA_COMPAT_FLOATSTRING = true;
luaconf.FENGARI_VERSION_USED = (core as { FENGARI_VERSION?: string }).FENGARI_VERSION;
luaconf.lua_number2str = (n: number) => formatNumber(n);
