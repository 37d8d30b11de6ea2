declare module 'fengari';
declare module 'fengari/src/luaconf.js';
declare module 'fengari/src/fengaricore.js';
declare module 'fengari/src/lobject.js';
declare module 'fengari/src/lstring.js';
