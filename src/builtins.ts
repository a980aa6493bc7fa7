// Node's heavier built-in modules, loaded when first used rather than at start-up: a one-snapshot scan from a cold
// start should not pay for crypto, zlib, http, readline or worker threads it never touches.
import type * as Crypto from 'node:crypto';
import type * as Http from 'node:http';
import type * as Readline from 'node:readline';
import type * as WorkerThreads from 'node:worker_threads';
import type * as Zlib from 'node:zlib';

export const crypto = (): typeof Crypto => process.getBuiltinModule('node:crypto');
export const zlib = (): typeof Zlib => process.getBuiltinModule('node:zlib');
export const http = (): typeof Http => process.getBuiltinModule('node:http');
export const readline = (): typeof Readline => process.getBuiltinModule('node:readline');
export const workerThreads = (): typeof WorkerThreads => process.getBuiltinModule('node:worker_threads');
