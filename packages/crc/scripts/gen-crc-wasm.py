#!/usr/bin/env python3
# Generates the WebAssembly module embedded (base64) in src/wasm.ts: it exports `crc(c, p, n)`, a
# reflected CRC over memory[p, p+n) continuing `c` (zlib-style: inverted on entry and exit),
# slicing by 16 over i32 loads, and its memory `mem`. The 16 lookup tables (16 x 256 x i32, "byte
# b followed by k zero bytes") sit at memory offset 0 and are written by the host, so one module
# serves every polynomial (CRC-32C for @zk/storage-file, CRC32 for @zk/datatree's node digests).
# No imports, no data segment.
#   python3 scripts/gen-crc-wasm.py    # prints the base64 to paste into src/wasm.ts
import base64, sys
def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        if n: out.append(b | 0x80)
        else: out.append(b); return bytes(out)
def sleb(n):
    out = bytearray()
    while True:
        b = n & 0x7f; n >>= 7
        if (n == 0 and not (b & 0x40)) or (n == -1 and (b & 0x40)): out.append(b); return bytes(out)
        out.append(b | 0x80)
def vec(items): return uleb(len(items)) + b''.join(items)
def section(id, payload): return bytes([id]) + uleb(len(payload)) + payload
def name(s): return uleb(len(s)) + s.encode()

LG=0x20; LS=0x21; LT=0x22
def lget(i): return bytes([LG]) + uleb(i)
def lset(i): return bytes([LS]) + uleb(i)
def i32c(v): return bytes([0x41]) + sleb(v)
def load(off, align=2): return bytes([0x28]) + uleb(align) + uleb(off)
def load8u(off=0): return bytes([0x2d, 0]) + uleb(off)
XOR=b'\x73'; AND=b'\x71'; SHL=b'\x74'; SHRU=b'\x76'; ADD=b'\x6a'; SUB=b'\x6b'; GEU=b'\x4f'
BLOCK=b'\x02\x40'; LOOP=b'\x03\x40'; END=b'\x0b'
def br(d): return b'\x0c' + uleb(d)
def brif(d): return b'\x0d' + uleb(d)

TABLE = 0  # tables at memory offset 0 .. 16384
# params: 0 c, 1 p, 2 n ; locals: 3 end, 4 fast, 5 a, 6 b, 7 d, 8 e
C, P, N, END_, FAST, A, B, D, E = range(9)
code = b''
code += lget(C) + i32c(-1) + XOR + lset(C)
code += lget(P) + lget(N) + ADD + lset(END_)
code += lget(END_) + lget(N) + i32c(15) + AND + SUB + lset(FAST)
def lookup(word_local, k, table):
    # T[table*256 + ((word >>> 8k) & 255)]
    x = lget(word_local)
    if k: x += i32c(8 * k) + SHRU
    if k < 3: x += i32c(255) + AND
    x += i32c(2) + SHL + load(TABLE + table * 1024)
    return x
code += BLOCK + LOOP
code += lget(P) + lget(FAST) + GEU + brif(1)
code += lget(P) + load(0) + lget(C) + XOR + lset(A)
code += lget(P) + load(4) + lset(B)
code += lget(P) + load(8) + lset(D)
code += lget(P) + load(12) + lset(E)
expr = lookup(A, 0, 15)
order = [(A,1,14),(A,2,13),(A,3,12),(B,0,11),(B,1,10),(B,2,9),(B,3,8),(D,0,7),(D,1,6),(D,2,5),(D,3,4),(E,0,3),(E,1,2),(E,2,1),(E,3,0)]
for w,k,t in order: expr += lookup(w,k,t) + XOR
code += expr + lset(C)
code += lget(P) + i32c(16) + ADD + lset(P)
code += br(0) + END + END
# tail
code += BLOCK + LOOP
code += lget(P) + lget(END_) + GEU + brif(1)
code += lget(C) + lget(P) + load8u() + XOR + i32c(255) + AND + i32c(2) + SHL + load(TABLE)
code += lget(C) + i32c(8) + SHRU + XOR + lset(C)
code += lget(P) + i32c(1) + ADD + lset(P)
code += br(0) + END + END
code += lget(C) + i32c(-1) + XOR
code += END
locals_ = vec([uleb(6) + b'\x7f'])
body = locals_ + code
func = uleb(len(body)) + body
mod = b'\x00asm' + b'\x01\x00\x00\x00'
mod += section(1, vec([b'\x60' + vec([b'\x7f']*3) + vec([b'\x7f'])]))
mod += section(3, vec([uleb(0)]))
mod += section(5, vec([b'\x00' + uleb(1)]))
mod += section(7, vec([name('crc') + b'\x00' + uleb(0), name('mem') + b'\x02' + uleb(0)]))
mod += section(10, vec([func]))
sys.stdout.write(base64.b64encode(mod).decode())
