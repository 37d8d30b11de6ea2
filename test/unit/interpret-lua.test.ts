/**
 * The Lua environment against the reference's rules (spec §7.7–§7.11): libraries opened and
 * blocked, number formatting (gopher-lua, not Lua 5.3), Go↔Lua conversion, the deadline and the
 * call-depth limit.
 */
import { describe, expect, it } from 'vitest';
import { compileError, formatNumber, newVM, repairEmpty, LuaError } from '../../src/interpret/lua';
import { runRule } from '../../src/interpret/rules';

function run(body: string, args: unknown[] = [], nret = 1, timeoutMs?: number): unknown[] {
  const vm = newVM(`function f(a, b)\n${body}\nend`, { timeoutMs });
  try {
    return vm.call('f', args, nret);
  } finally {
    vm.close();
  }
}
const one = (body: string, args: unknown[] = []) => run(body, args)[0];
const err = (body: string, args: unknown[] = [], timeoutMs?: number) => {
  try {
    run(body, args, 1, timeoutMs);
  } catch (e) {
    expect(e).toBeInstanceOf(LuaError);
    return (e as Error).message;
  }
  throw new Error('no error raised');
};

describe('numbers print like gopher-lua', () => {
  it.each([
    ['return tostring(3)', '3'],
    ['return tostring(6 / 2)', '3'],
    ['return tostring(a)', '3'],
    ['return tostring(a / 2)', '1.5'],
    ['return a .. ""', '3'],
    ['return string.format("%s", a)', '3'],
    ['return tostring(1e15)', '1000000000000000'],
    ['return tostring(1/3)', '0.3333333333333333'],
    ['return tostring(10/0)', '+Inf'],
    ['return tostring(math.huge)', '1.7976931348623157e+308'],
    ['return tostring(1234567.5)', '1.2345675e+06'],
    ['return tostring(math.floor(3.7))', '3'],
    ['return string.format("%d", 3.7)', '3'],
    ['return _VERSION', 'Lua 5.1'],
    ['return tostring(select("#", string.match("a", "b")))', '0'],
    ['return tostring(1024 * 1024 * 1024 * 4)', '4294967296'],
    ['return tostring(2147483647 + 1)', '2147483648'],
    ['return tostring(7 / 2)', '3.5'],
    ['return tostring(-7 % 3)', '2'],
  ])('%s → %s', (body, want) => {
    expect(one(body, [3])).toBe(want);
  });
  it('formatNumber: integral up to int64 in full, else Go %v', () => {
    expect(formatNumber(2 ** 53)).toBe('9007199254740992');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(2 ** 64)).toBe('1.8446744073709552e+19');
    expect(formatNumber(1e-7)).toBe('1e-07');
  });
  it('tonumber: strings without a dot and with an exponent are nil, like gopher-lua', () => {
    expect(run('return tonumber("1e2"), tonumber("0x1F"), tonumber("1.5"), tonumber("1.5e3")', [], 4)).toEqual([null, 31, 1.5, 1500]);
  });
});

describe('libraries: only what Karmada opens', () => {
  it.each(['io', 'coroutine', 'debug', 'utf8', 'bit32', 'json', 'kube', 'rawlen'])('%s is not available', (name) => {
    expect(one(`return type(${name})`)).toBe('nil');
  });
  it.each(['execute', 'getenv', 'clock', 'remove', 'exit', 'rename', 'tmpname'])('os.%s is not available', (name) => {
    expect(one(`return type(os.${name})`)).toBe('nil');
  });
  it.each(['collectgarbage', 'dofile', 'getfenv', 'getmetatable', 'load', 'loadfile', 'loadstring', 'rawequal', 'rawget', 'rawset', 'setfenv', 'setmetatable', 'module', 'newproxy'])(
    '%s raises Karmada\'s message',
    (name) => {
      expect(err(`return ${name}({})`)).toContain(`call function ${name} is not supported in karmada customized resourceinterpreter.`);
    },
  );
  it.each(['gsub', 'rep', 'dump'])('string.%s raises', (name) => {
    expect(err(`return string.${name}("a", "b", "c")`)).toContain(`The Lua function string.${name} is not supported by Karmada.`);
  });
  it('package.loadlib and require of anything but kube fail', () => {
    expect(err('return package.loadlib("x", "y")')).toContain('loadlib is not supported');
    expect(err('return require("json")')).toContain("module json not found:\n\tno field package.preload['json']");
    expect(err('return require("io")')).toContain('module io not found');
  });
  it('Lua 5.1 functions exist: unpack, table.getn, table.maxn, math.pow, math.mod, string.gfind', () => {
    expect(run('return unpack({1, 2})', [], 2)).toEqual([1, 2]);
    expect(one('return table.getn({1, 2, 3}) + table.maxn({[7] = 1})')).toBe(10);
    expect(one('return math.pow(2, 10) + math.mod(7, 3)')).toBe(1025);
    expect(one('local n = 0; for w in string.gfind("a b c", "%a") do n = n + 1 end; return n')).toBe(3);
    expect(one('return ("x"):upper()')).toBe('X');
  });
  it('os.date with ! is UTC; os.time returns seconds', () => {
    expect(String(one('return os.date("!%Y-%m-%dT%H:%M:%SZ")'))).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Math.abs((one('return os.time()') as number) - Date.now() / 1000)).toBeLessThan(5);
  });
  it('string.format refuses a format string longer than 1,000,000 bytes', () => {
    // (a longer deadline: converting a 1 MB argument is not what this test measures)
    expect(err('return string.format(a)', ['a'.repeat(1_000_001)], 20_000)).toContain('exceeds the maximum allowed input string length 1000000');
  });
});

describe('limits', () => {
  it('a runaway loop is stopped by the deadline', () => {
    const t0 = Date.now();
    expect(err('while true do end')).toContain('context deadline exceeded');
    expect(Date.now() - t0).toBeLessThan(3000);
  });
  it('the deadline also covers top-level code', () => {
    expect(() => newVM('while true do end', { timeoutMs: 100 })).toThrow(/context deadline exceeded/);
  });
  it('deep recursion overflows at the reference depth; shallow recursion passes', () => {
    expect(one('local function r(n) if n == 0 then return 0 end return 1 + r(n - 1) end return r(200)')).toBe(200);
    expect(err('local function r(n) return 1 + r(n + 1) end return r(1)')).toContain('stack overflow');
  });
  it('a string cannot grow without bound (the reference would take all memory)', () => {
    expect(err('local s = "x" for i = 1, 40 do s = s .. s end return s')).toContain('exceeds the limit of 67108864 bytes');
  });
  it('a large table is fine (no memory limit)', () => {
    // memory, not time: a longer deadline so that a loaded machine does not turn this into a timeout
    expect(run('local t = {}; for i = 1, 200000 do t[i] = i end; return #t', [], 1, 20_000)[0]).toBe(200000);
  });
});

describe('Go → Lua', () => {
  it('null keys are absent; nulls in arrays are dropped and later elements shift', () => {
    expect(run('return a.x == nil, #a.list, a.list[2]', [{ x: null, list: [1, null, 3] }], 3)).toEqual([true, 2, 3]);
  });
  it('{} and [] both arrive as empty tables; numbers as floats', () => {
    expect(run('return next(a.o) == nil, next(a.l) == nil, a.n / 2', [{ o: {}, l: [], n: 3 }], 3)).toEqual([true, true, 1.5]);
  });
});

describe('Lua → Go', () => {
  it('integral floats come back as integers; tables as objects/arrays', () => {
    expect(one('return {replicas = a.n / 1, list = {1, 2}}', [{ n: 3 }])).toEqual({ replicas: 3, list: [1, 2] });
  });
  it('sparse, mixed and recursive tables are refused', () => {
    expect(err('return {[1] = 1, [3] = 3}')).toContain('cannot encode sparse array');
    expect(err('return {1, x = 2}')).toContain('cannot encode mixed or invalid key types');
    expect(err('local t = {}; t.self = t; return t')).toContain('recursively nested');
    expect(err('local l = {a = "b"}; return {x = l, y = l}')).toContain('recursively nested');
    expect(err('return {f = function() end}')).toContain('cannot encode function to JSON');
  });
  it('empty tables: whole result {} or [] by target; nested ones by the reference objects, else deleted', () => {
    const r = one('return {kind = "K", spec = {}, list = {}, gone = {}}');
    expect(repairEmpty(r, 'object', [{ spec: {}, list: [] }])).toEqual({ kind: 'K', spec: {}, list: [] });
    expect(repairEmpty(one('return {}'), 'object')).toEqual({});
    expect(repairEmpty(one('return {}'), 'list')).toEqual([]);
  });
  it('Retain uses desired and observed as references; AggregateStatus has none', () => {
    const script = 'function Retain(d, o) d.spec = {}; d.status = {}; return d end\nfunction AggregateStatus(d, items) d.status = {conditions = {}}; return d end';
    const desired = { apiVersion: 'v1', kind: 'K', spec: { x: 1 } };
    const observed = { apiVersion: 'v1', kind: 'K', status: {} };
    expect(runRule('Retain', [script], { desired, observed })[0]).toEqual({ apiVersion: 'v1', kind: 'K', status: {} });
    // conditions = {} has no reference: deleted, leaving status {}
    expect(runRule('AggregateStatus', [script], { desired, statusItems: [] })[0]).toEqual({ apiVersion: 'v1', kind: 'K', spec: { x: 1 }, status: {} });
  });
  it('GetReplicas truncates; InterpretHealth must be a boolean; GetDependencies nil is an error', () => {
    expect(runRule('InterpretReplica', ['function GetReplicas(o) return 2.9, nil end'], { observed: { kind: 'K' } })).toEqual([2, null]);
    expect(() => runRule('InterpretHealth', ['function InterpretHealth(o) return nil end'], { observed: { kind: 'K' } })).toThrow('result type 0 is not bool');
    expect(() => runRule('InterpretDependency', ['function GetDependencies(o) return nil end'], { observed: { kind: 'K' } })).toThrow('expect the returned requires type is table but got nil');
    expect(() => runRule('Retain', ['function Retain(d, o) return {spec = 1} end'], { desired: {}, observed: {} })).toThrow("Object 'Kind' is missing");
  });
  it('script lookup errors', () => {
    expect(() => runRule('InterpretHealth', ['local function InterpretHealth(o) return true end'], { observed: {} })).toThrow('not found function InterpretHealth');
    expect(() => runRule('InterpretHealth', ['InterpretHealth = 1'], { observed: {} })).toThrow('InterpretHealth is not a function: number');
  });
});

describe('kube library', () => {
  const k = (body: string) => one(`local kube = require("kube")\n${body}`);
  it('resourceAdd sums quantities (nil = 0) and keeps the first format', () => {
    expect(k('return kube.resourceAdd("100m", "1", nil, "0.5")')).toBe('1600m');
    expect(k('return kube.resourceAdd("1Gi", "512Mi")')).toBe('1536Mi');
    expect(k('return kube.resourceAdd()')).toBe('0');
  });
  it('getResourceQuantity returns a float', () => {
    expect(k('return kube.getResourceQuantity("1.5Gi")')).toBe(1610612736);
    expect(k('return kube.getResourceQuantity("250m")')).toBe(0.25);
    expect(err('local kube = require("kube") return kube.getResourceQuantity("1", "2")')).toContain('getResourceQuantity only accepts one argument');
  });
  it('accuratePodRequirements: max(sum, init max) + overhead, nodeClaim; nil when empty', () => {
    const tpl = {
      spec: {
        nodeSelector: { zone: 'a' },
        containers: [{ resources: { requests: { cpu: '500m', memory: '64Mi' } } }, { resources: { limits: { cpu: '1' } } }],
        initContainers: [{ resources: { requests: { cpu: '2' } } }],
        overhead: { memory: '1Mi' },
      },
    };
    expect(run('return require("kube").accuratePodRequirements(a)', [tpl])[0]).toEqual({ nodeClaim: { nodeSelector: { zone: 'a' } }, resourceRequest: { cpu: '2', memory: '65Mi' } });
    expect(run('return require("kube").accuratePodRequirements(a) == nil', [{ spec: {} }])[0]).toBe(true);
  });
  it('getPodDependencies: ConfigMaps, Secrets, ServiceAccount, PVCs; nil when none; exactly two arguments', () => {
    const tpl = { spec: { serviceAccountName: 'sa', volumes: [{ configMap: { name: 'cm' } }, { secret: { secretName: 's' } }, { persistentVolumeClaim: { claimName: 'p' } }] } };
    expect(run('return require("kube").getPodDependencies(a, "ns")', [tpl])[0]).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'cm' },
      { apiVersion: 'v1', kind: 'Secret', namespace: 'ns', name: 's' },
      { apiVersion: 'v1', kind: 'ServiceAccount', namespace: 'ns', name: 'sa' },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'p' },
    ]);
    expect(run('return require("kube").getPodDependencies(a, nil) == nil', [{ spec: {} }])[0]).toBe(true);
    expect(err('return require("kube").getPodDependencies(a)', [{}])).toContain('getPodDependencies only accepts two argument');
  });
});

describe('--check compiles only', () => {
  it('reports a syntax error and passes valid code without running it', () => {
    expect(compileError('function f() return 1 end while true do end')).toBeUndefined();
    expect(compileError('function f( return end')).toMatch(/<string>:1:/);
  });
});
