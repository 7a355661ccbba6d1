#!/usr/bin/python3
"""Make an independent corpus of HMAC secrets, labelled by construction.

Every secret comes from a real generator (openssl, pwgen, apg, makepasswd, uuidgen, diceware,
xkcdpass, coreutils, gpg, node crypto, Python `secrets`/`uuid`...) or is a published/human value,
and is labelled with the entropy its generator put in (bits), from the generator's parameters,
*before and without* jwtkit's judge. The labels follow RFC 7518 §3.2 and RFC 8725 §3.5 (README.md, "jwtkit check"):

    strong for HSxxx  iff  bits >= 256/384/512  and  UTF-8 key bytes >= 32/48/64

where the key bytes are those of the string as an app passes `process.env.JWT_SECRET` to jose or
jsonwebtoken (base64 text is not decoded). Bits conventions:
  * an OS CSPRNG (getrandom, /dev/urandom, OpenSSL's DRBG, node crypto, Python secrets) is credited
    its full output: N random bytes = 8N bits, L characters drawn uniformly from k = L*log2(k);
  * a generator seeded with fewer bits is capped at the seed: V8's Math.random (64-bit seed),
    apg's X9.17 generator (64-bit seed), Python `random` seeded with the time (~25 bits);
  * structure adds nothing: a prefix, a timestamp, a constant run, a repeated or reversed block,
    a UUID's fixed bits, a public key (0: it is public), a published example (0), a hash of a
    guessable input (the input's guessability, not the hash's length);
  * human text (placeholders, phrases, keyboard walks) gets a rough estimate, far below 256.
Values never sit within a bit of a threshold unless the generator puts them there (noted).

Each line: {"secret", "generator" (the command or recipe), "class" (a coarse group for reports),
"bits", "bytes", "HS256"/"HS384"/"HS512": "strong"|"weak", "notes"?, "whitespace"?}.
Entries with `"whitespace": true` have a newline or leading/trailing whitespace in the key (e.g.
`openssl rand -base64 64` wraps at 64 columns); they are labelled by the principle like the rest,
and the test counts them apart (jwtkit refuses them on purpose).

Usage:  /usr/bin/python3 scripts/make-secret-corpus.py [OUT.jsonl]   (default
tests/fixtures/secret-corpus.jsonl). Needs: openssl pwgen apg makepasswd uuid-runtime diceware
xkcdpass gnupg coreutils basenc node. Real generators cannot be seeded, so each run makes a fresh
corpus; the committed file is one such run. The script's own choices (which word to hash, which
variant to use) come from random.Random(SEED) so the *shape* of the corpus is reproducible.
Nothing here comes from ../shared/data.
"""
import base64
import hashlib
import json
import math
import os
import random
import secrets
import string
import subprocess
import sys
import time
import uuid

SEED = 12
rng = random.Random(SEED)  # only for the script's own choices, never for a secret's randomness

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'secret-corpus.jsonl')

entries = []
CLS = None  # the class of the entries that follow, for reports (set before each group)
THRESH = {'HS256': 256, 'HS384': 384, 'HS512': 512}


def add(secret, generator, bits, notes=None, whitespace=False):
    nbytes = len(secret.encode('utf-8'))
    e = {'secret': secret, 'generator': generator, 'class': CLS, 'bits': round(bits, 1), 'bytes': nbytes}
    for alg, t in THRESH.items():
        e[alg] = 'strong' if bits >= t and nbytes >= t // 8 else 'weak'
    if notes:
        e['notes'] = notes
    if whitespace:
        e['whitespace'] = True
    entries.append(e)


def sh(cmd, strip=True):
    """Run a shell command; like $(...) strip the trailing newline(s) unless strip=False."""
    out = subprocess.run(['bash', '-c', cmd], check=True, capture_output=True).stdout.decode('utf-8')
    return out.rstrip('\n') if strip else out


def node(js):
    return sh("node -e " + json.dumps(js).replace('$', '\\$'))


lg = math.log2

# ---------------------------------------------------------------- openssl rand
CLS = 'random-base64'
for n, k in [(32, 8), (33, 3), (40, 3), (48, 8), (16, 4), (24, 4), (30, 3), (31, 2), (12, 2)]:
    for _ in range(k):
        s = sh(f'openssl rand -base64 {n}')
        assert '\n' not in s
        add(s, f'openssl rand -base64 {n}', 8 * n)
for n, k in [(64, 8), (96, 3), (72, 2), (56, 2)]:
    for _ in range(k):
        add(sh(f"openssl rand -base64 {n} | tr -d '\\n'"), f"openssl rand -base64 {n} | tr -d '\\n'", 8 * n)
CLS = 'random-hex'
for n, k in [(16, 6), (24, 3), (31, 2), (32, 8), (48, 5), (64, 6), (20, 2)]:
    for _ in range(k):
        add(sh(f'openssl rand -hex {n}'), f'openssl rand -hex {n}', 8 * n)
for n, k in [(32, 3), (64, 2)]:
    for _ in range(k):
        add(sh(f"openssl rand -hex {n} | tr a-f A-F"), f'openssl rand -hex {n} | tr a-f A-F', 8 * n)
CLS = '0x-hex'
for n, k in [(32, 4), (64, 2), (16, 2)]:
    for _ in range(k):
        add('0x' + sh(f'openssl rand -hex {n}'), f'0x + openssl rand -hex {n}', 8 * n, 'a 0x prefix adds nothing')
CLS = 'grouped-hex'
for _ in range(3):
    h = sh('openssl rand -hex 32')
    add('-'.join(h[i:i + 4] for i in range(0, 64, 4)), 'openssl rand -hex 32, 4-char groups joined by -', 256)
for _ in range(3):
    add(sh("openssl rand -hex 32 | sed 's/../&:/g; s/:$//'"), 'openssl rand -hex 32 as xx:xx:.. bytes', 256)
for _ in range(2):
    h = sh('openssl rand -hex 64')
    add('-'.join(h[i:i + 8] for i in range(0, 128, 8)), 'openssl rand -hex 64, 8-char groups joined by -', 512)
for _ in range(2):
    h = sh('openssl rand -hex 48').upper()
    add(' '.join(h[i:i + 4] for i in range(0, 96, 4)).replace(' ', '_'), 'openssl rand -hex 48 upper, 4-char groups joined by _', 384)
CLS = 'random-base64'
for _ in range(2):
    add(sh('openssl rand -base64 32 | tr "+/" "-_"'), 'openssl rand -base64 32 | tr "+/" "-_" (base64url, padded)', 256)
    add(sh('openssl rand -base64 32 | tr -d "="'), 'openssl rand -base64 32 | tr -d = (unpadded)', 256)

# ---------------------------------------------------------------- base32 / base32hex / z85 / coreutils streams
CLS = 'base32'
for n, k in [(32, 4), (40, 4), (48, 2), (64, 3), (20, 3), (30, 2)]:
    for _ in range(k):
        add(sh(f'head -c {n} /dev/urandom | base32 -w0'), f'head -c {n} /dev/urandom | base32 -w0', 8 * n)
for n, k in [(32, 3), (64, 2)]:
    for _ in range(k):
        add(sh(f'head -c {n} /dev/urandom | base32 -w0 | tr -d ='), f'head -c {n} /dev/urandom | base32 -w0 | tr -d =', 8 * n)
for n, k in [(35, 2), (40, 2), (65, 1)]:
    for _ in range(k):
        add(sh(f'head -c {n} /dev/urandom | base32 -w0 | tr A-Z a-z'), f'head -c {n} /dev/urandom | base32 -w0 | tr A-Z a-z', 8 * n)
for n, k in [(40, 3), (64, 1)]:
    for _ in range(k):
        add(sh(f'head -c {n} /dev/urandom | basenc --base32hex -w0'), f'head -c {n} /dev/urandom | basenc --base32hex -w0', 8 * n)
CLS = 'z85'
for n, k in [(32, 3), (64, 2), (16, 1)]:
    for _ in range(k):
        add(sh(f'head -c {n} /dev/urandom | basenc --z85 -w0'), f'head -c {n} /dev/urandom | basenc --z85 -w0', 8 * n)
CLS = 'random-base64'
for _ in range(2):
    add(sh('head -c 48 /dev/urandom | base64 -w0'), 'head -c 48 /dev/urandom | base64 -w0', 384)
    add(sh('base64 -w0 </dev/urandom | head -c 64'), 'base64 -w0 </dev/urandom | head -c 64', 384,
        'a prefix of base64 of random bytes: 6 bits a character')
CLS = 'charset-string'
for cls, k_, lens in [('A-Za-z0-9', 62, [(32, 2), (45, 2), (64, 3), (66, 2), (88, 2), (100, 1)]),
                      ('a-z0-9', 36, [(44, 2), (50, 2), (75, 1), (100, 1)]),
                      ('[:graph:]', 94, [(40, 2), (79, 2), (24, 1)]),
                      ('a-z', 26, [(40, 2), (55, 2), (110, 1)]),
                      ('A-Z', 26, [(56, 1)]),
                      ('0-9', 10, [(80, 2), (40, 1), (160, 1)]),
                      ('a-f0-9', 16, [(64, 1)])]:
    for n, k in lens:
        for _ in range(k):
            add(sh(f"LC_ALL=C tr -dc '{cls}' </dev/urandom | head -c {n}"),
                f"tr -dc '{cls}' </dev/urandom | head -c {n}", n * lg(k_))

# ---------------------------------------------------------------- python secrets / base58 / a85
B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'


def b58(b):
    n = int.from_bytes(b, 'big')
    out = ''
    while n:
        n, r = divmod(n, 58)
        out = B58[r] + out
    return '1' * (len(b) - len(b.lstrip(b'\0'))) + out


CLS = 'random-token'
for fn, n, k in [('token_urlsafe', 32, 5), ('token_urlsafe', 48, 3), ('token_urlsafe', 64, 4), ('token_urlsafe', 16, 3),
                 ('token_urlsafe', 24, 2), ('token_hex', 32, 3), ('token_hex', 64, 2), ('token_hex', 16, 3)]:
    for _ in range(k):
        add(getattr(secrets, fn)(n), f'python3 secrets.{fn}({n})', 8 * n)
for n, k in [(32, 2), (64, 2)]:
    for _ in range(k):
        add(base64.b64encode(secrets.token_bytes(n)).decode(), f'python3 base64.b64encode(secrets.token_bytes({n}))', 8 * n)
for n, k in [(35, 2)]:
    for _ in range(k):
        add(base64.b32encode(secrets.token_bytes(n)).decode(), f'python3 base64.b32encode(secrets.token_bytes({n}))', 8 * n)
CLS = 'base58'
for n, k in [(32, 3), (64, 2), (24, 1)]:
    for _ in range(k):
        add(b58(secrets.token_bytes(n)), f'base58 (bitcoin alphabet) of secrets.token_bytes({n})', 8 * n)
for n, k in [(88, 2), (44, 1)]:
    for _ in range(k):
        add(''.join(secrets.choice(B58) for _ in range(n)), f'python3 secrets.choice(base58 alphabet) x{n}', n * lg(58))
CLS = 'ascii85'
for _ in range(2):
    add(base64.a85encode(secrets.token_bytes(32)).decode(), 'python3 base64.a85encode(secrets.token_bytes(32))', 256)
DJ = 'abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)'
CLS = 'charset-string'
for _ in range(3):
    add(''.join(secrets.choice(DJ) for _ in range(50)), "python3 secrets: Django get_random_secret_key() algorithm (50 of 50 chars)", 50 * lg(50))
CLS = 'prefix+random'
for _ in range(2):
    add('django-insecure-' + ''.join(secrets.choice(DJ) for _ in range(50)), "'django-insecure-' + Django get_random_secret_key() algorithm", 50 * lg(50), 'prefix adds nothing')
PRINT94 = ''.join(chr(c) for c in range(33, 127))
CLS = 'charset-string'
for n, k in [(40, 2), (64, 1), (80, 2), (20, 2)]:
    for _ in range(k):
        add(''.join(secrets.choice(PRINT94) for _ in range(n)), f'python3 secrets.choice(printable ASCII, 94) x{n}', n * lg(94))
KANA = [chr(c) for c in range(0x3041, 0x3097)] + [chr(c) for c in range(0x30A1, 0x30FB)]  # 86 + 90 = 176 kana
CLS = 'charset-string'
for n in (36, 70):
    add(''.join(secrets.choice(KANA) for _ in range(n)), f'python3 secrets.choice({len(KANA)} kana) x{n}', n * lg(len(KANA)),
        '3 UTF-8 bytes a character')

# ---------------------------------------------------------------- node crypto
CLS = 'random-token'
for enc, n, k in [('base64', 32, 3), ('base64url', 32, 3), ('hex', 64, 2), ('base64url', 48, 2), ('base64', 64, 3),
                  ('hex', 32, 2), ('base64url', 16, 2), ('base64', 24, 1)]:
    for _ in range(k):
        add(node(f"console.log(require('crypto').randomBytes({n}).toString('{enc}'))"),
            f"node crypto.randomBytes({n}).toString('{enc}')", 8 * n)
URL_ALPHA = 'useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict'  # nanoid's urlAlphabet (64)
CLS = 'charset-string'
for n, k in [(21, 3), (43, 2), (86, 1)]:
    for _ in range(k):
        s = node(f"const b=require('crypto').randomBytes({n});let s='';for(const x of b)s+='{URL_ALPHA}'[x&63];console.log(s)")
        add(s, f'nanoid algorithm (node crypto, 64-char url alphabet) x{n}', 6 * n)

# ---------------------------------------------------------------- gpg
CLS = 'random-base64'
for n, k in [(32, 2), (48, 1), (64, 1)]:
    for _ in range(k):
        add(sh(f'gpg --gen-random --armor 1 {n} 2>/dev/null'), f'gpg --gen-random --armor 1 {n}', 8 * n)

# ---------------------------------------------------------------- pwgen / apg / makepasswd
PWGEN = [('-s', 62, [(44, 3), (32, 3), (64, 3), (66, 2), (87, 2), (20, 1)]),
         ('-s -A', 36, [(44, 4), (50, 3), (75, 1), (100, 2)]),
         ('-s -y', 94, [(40, 3), (79, 1), (30, 1)]),
         ('-s -0', 52, [(45, 2), (44, 1)]),
         ('-s -A -0', 26, [(56, 2)])]
CLS = 'charset-string'
for opts, k_, lens in PWGEN:
    for n, k in lens:
        for _ in range(k):
            add(sh(f'pwgen {opts} {n} 1'), f'pwgen {opts} {n}', n * lg(k_),
                'secure mode; its one-of-each-class rule removes a negligible share' if k_ != 26 else None)
CLS = 'pronounceable'
for n, k in [(16, 3), (32, 3), (48, 2)]:
    for _ in range(k):
        add(sh(f'pwgen {n} 1'), f'pwgen {n} (pronounceable)', 4 * n, 'upper bound: phoneme mode carries < 4 bits a character')
CLS = 'weak-prng'
for opts, n, k in [('-a 1 -M SNCL', 32, 2), ('-a 1 -M NCL', 44, 2), ('-a 1 -M NCL', 64, 1), ('-a 0', 16, 2)]:
    for _ in range(k):
        add(sh(f'apg {opts} -m {n} -x {n} -n 1'), f'apg {opts} -m {n} -x {n}', min(64, n * 6),
            "apg's X9.17 generator is seeded with 64 bits (__rnd_seed[2] of UINT32): cannot be told from random by reading")
MKP = 58  # makepasswd's default alphabet: A-Y without O, a-z without k l, 0-9
CLS = 'charset-string'
for n, k in [(20, 2), (44, 3), (52, 2), (60, 2)]:
    for _ in range(k):
        add(sh(f'makepasswd --chars {n}'), f'makepasswd --chars {n}', n * lg(MKP), 'alphabet of 58 (no O Z k l)')

# ---------------------------------------------------------------- UUIDs and ULIDs


def uuid7():
    ms = int(time.time() * 1000)
    r = int.from_bytes(secrets.token_bytes(10), 'big')
    rand_a = r >> 68 & 0xFFF
    rand_b = r & ((1 << 62) - 1)
    v = (ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=v))


CROCK = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'


def ulid():
    v = (int(time.time() * 1000) << 80) | int.from_bytes(secrets.token_bytes(10), 'big')
    return ''.join(CROCK[(v >> (5 * i)) & 31] for i in reversed(range(26)))


CLS = 'uuid'
for _ in range(4):
    add(sh('uuidgen -r'), 'uuidgen -r (v4)', 122)
for _ in range(2):
    add(sh('cat /proc/sys/kernel/random/uuid'), '/proc/sys/kernel/random/uuid (v4)', 122)
for _ in range(3):
    add(str(uuid.uuid4()), 'python3 uuid.uuid4()', 122)
    add(uuid.uuid4().hex, 'python3 uuid.uuid4().hex (no dashes)', 122)
for _ in range(2):
    add(str(uuid.uuid4()).upper(), 'python3 str(uuid4()).upper()', 122)
    add(node("console.log(require('crypto').randomUUID())"), 'node crypto.randomUUID()', 122)
CLS = 'uuid'
for _ in range(3):
    add(sh('uuidgen -t'), 'uuidgen -t (v1)', 40, '14-bit clock sequence + a guessable time; node = MAC')
CLS = 'uuid-concat'
for n, k in [(2, 3), (3, 3), (4, 2), (5, 2)]:
    for _ in range(k):
        u = [uuid.uuid4() for _ in range(n)]
        add(''.join(str(x) for x in u), f'{n} x python3 uuid4, concatenated with dashes', 122 * n)
        add(''.join(x.hex for x in u[::-1]), f'{n} x python3 uuid4().hex, concatenated', 122 * n)
for _ in range(2):
    add(sh('echo $(uuidgen -r)$(uuidgen -r)$(uuidgen -r) | tr -d -'), 'three `uuidgen -r` joined, dashes removed', 366)
    add(sh('uuidgen -r; uuidgen -r').replace('\n', '-'), 'two `uuidgen -r` joined by -', 244)
CLS = 'uuidv7'
for _ in range(3):
    add(uuid7(), 'UUIDv7 (RFC 9562: 48-bit ms time + 74 random bits)', 74)
for n, k in [(2, 2), (4, 2)]:
    for _ in range(k):
        add(''.join(uuid7().replace('-', '') for _ in range(n)), f'{n} x UUIDv7 hex, concatenated', 74 * n,
            'only the 74 random bits of each count' if n == 4 else None)
CLS = 'ulid'
for _ in range(3):
    add(ulid(), 'ULID (48-bit ms time + 80 random bits, Crockford base32)', 80)
for _ in range(2):
    add(ulid().lower(), 'ULID lower case', 80)
for n, k in [(2, 2), (4, 2), (7, 1)]:
    for _ in range(k):
        add(''.join(ulid() for _ in range(n)), f'{n} independent ULIDs concatenated', 80 * n,
            'independent (non-monotonic) ULIDs; only the random parts count')
CLS = 'uuid-concat'
for _ in range(2):
    add(''.join(sh('uuidgen -t') for _ in range(3)), '3 x uuidgen -t (v1) concatenated', 60, 'time-based: clock sequences + times')

# ---------------------------------------------------------------- diceware / xkcdpass
sys.path.insert(0, '/usr/lib/python3/dist-packages')
from diceware.wordlist import WordList, get_wordlist_path  # noqa: E402


def dw_size(name):
    return len(set(WordList(get_wordlist_path(name))))


DW = [('en_eff', [(5, 2), (6, 3), (8, 2), (10, 2), (15, 2), (20, 5), (25, 2), (30, 3), (35, 2), (40, 4), (45, 1)]),
      ('de', [(20, 2), (40, 1)]), ('de_8k', [(30, 1), (10, 1)]), ('en_securedrop', [(20, 2), (41, 1)]),
      ('pt-br', [(40, 1), (25, 1)]), ('en_nouns', [(20, 1)]), ('en_adjectives', [(25, 2), (12, 1)])]
CLS = 'passphrase'
for wl, lens in DW:
    size = dw_size(wl)
    for n, k in lens:
        for _ in range(k):
            d = rng.choice(['', '-', ' ', '.', '_'])
            caps = '' if d == '' else rng.choice(['', '--no-caps'])
            s = sh(f'diceware -n {n} -w {wl} {caps} -d "{d}"')
            add(s, f'diceware -w {wl} -n {n} {caps} -d "{d}"'.replace('  ', ' '), n * lg(size), f'{size} words')
XK = [('eff-long', '', [(4, 2), (6, 2), (10, 2), (20, 3), (21, 2), (30, 3), (40, 3), (45, 1)]),
      ('eff-long', '--min 1 --max 20', [(20, 2), (40, 1)]),
      ('eff-short', '--min 1 --max 20', [(25, 2), (50, 1)]),
      ('ger-anlx', '', [(22, 1)]), ('spa-mich', '', [(22, 1)])]
CLS = 'passphrase'
for wl, opts, lens in XK:
    verbose = sh(f'xkcdpass -w {wl} {opts} -V -n 1')
    size = int(verbose.split('contains ')[1].split(' words')[0])
    for n, k in lens:
        for _ in range(k):
            d = rng.choice([' ', '-', '.', '', '_'])
            case = rng.choice(['lower', 'capitalize', 'upper'] if d else ['capitalize'])
            s = sh(f'xkcdpass -w {wl} {opts} -n {n} -d "{d}" -C {case}')
            add(s, f'xkcdpass -w {wl} {opts} -n {n} -d "{d}" -C {case}'.replace('  ', ' '), n * lg(size), f'{size} words')

# ---------------------------------------------------------------- hashes of guessable inputs (weak)
WORDS = ['password', 'secret', 'mysecret', 'jwtsecret', 'admin', 'letmein', 'changeme', 'qwerty123', 'supersecret',
         'secretkey', 'my-secret-key', 'hello', 'test', 'dragon', 'monkey', 'P@ssw0rd', 'iloveyou', 'acme', 'acme-jwt',
         'production', 'development', 'token', 'jwt', 'myapp', 'Welcome1', 'football', 'sunshine', 'summer2024',
         'company', 'backend', 'api-secret', 'node', 'express', 'django', 'spring', 'password123', 'secret123', 'root']
HASHES = ['md5', 'sha1', 'sha256', 'sha384', 'sha512']
CLS = 'hash-of-word'
for i in range(56):
    w = rng.choice(WORDS)
    h = HASHES[i % 5] if i < 40 else rng.choice(['sha256', 'sha512', 'sha384'])
    nl = rng.random() < 0.5
    form = rng.choice(['hex', 'hex', 'base64', 'HEX'])
    cmd = ('echo ' if nl else 'printf %s ') + w
    if form == 'base64':
        s = sh(f"{cmd} | openssl dgst -{h} -binary | base64 -w0")
        gen = f'{cmd} | openssl dgst -{h} -binary | base64'
    else:
        s = sh(f"{cmd} | {h}sum | cut -d' ' -f1")
        gen = f'{cmd} | {h}sum'
        if form == 'HEX':
            s, gen = s.upper(), gen + ' | tr a-f A-F'
    add(s, gen, 15, 'hash of a guessable word')
CLS = 'hash-of-guessable'
for _ in range(2):
    add(sh("date +%s | sha256sum | cut -d' ' -f1"), 'date +%s | sha256sum', 25, 'hash of a timestamp (a year of seconds): unreadable')
    add(sh("date +%s%N | sha256sum | cut -d' ' -f1"), 'date +%s%N | sha256sum', 55, 'hash of a ns timestamp: unreadable')
    add(sh("uuidgen -r | sha256sum | cut -d' ' -f1"), 'uuidgen -r | sha256sum', 122, 'hash of a v4 UUID: unreadable')
add(sh("date | md5sum | cut -d' ' -f1"), 'date | md5sum', 25, 'hash of a timestamp')
add(sh("date +%s%N | sha512sum | cut -d' ' -f1"), 'date +%s%N | sha512sum', 55, 'hash of a ns timestamp: unreadable')
add(sh("hostname | sha256sum | cut -d' ' -f1"), 'hostname | sha256sum', 10, 'hash of a host name')
CLS = 'hash-of-random'
for _ in range(3):
    add(sh("head -c 64 /dev/urandom | sha256sum | cut -d' ' -f1"), 'head -c 64 /dev/urandom | sha256sum', 256,
        'hash of 512 random bits: a full 256-bit output')
    add(sh("head -c 128 /dev/urandom | sha512sum | cut -d' ' -f1"), 'head -c 128 /dev/urandom | sha512sum', 512,
        'hash of 1024 random bits: a full 512-bit output')

# ---------------------------------------------------------------- weak PRNGs (cannot be read)
CLS = 'weak-prng'
for n, k in [(64, 2), (44, 1)]:
    for _ in range(k):
        add(node(f"const c='ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';let s='';for(let i=0;i<{n};i++)s+=c[Math.floor(Math.random()*62)];console.log(s)"),
            f'node Math.random, {n} alphanumerics', 64, "V8's xorshift128+ is seeded with 64 bits: cannot be told from random by reading")
for _ in range(2):
    add(node("let s='';while(s.length<48)s+=Math.random().toString(36).slice(2);console.log(s.slice(0,48))"),
        'node Math.random().toString(36) concatenated to 48', 64, 'V8 Math.random: 64-bit seed')
for _ in range(2):
    add(sh("python3 -c 'import random,time,string;random.seed(int(time.time()));print(\"\".join(random.choice(string.ascii_letters+string.digits) for _ in range(48)))'"),
        'python3 random seeded with int(time.time()), 48 alphanumerics', 25, 'seed = the time in seconds: unreadable')

# ---------------------------------------------------------------- structured randomness (weak by construction)
CLS = 'prefix+random'
for p in ['whsec_', 'myapp_', 'sk_ab_', 'prod1_', 'key-v2', 'base64']:
    add(p + base64.b64encode(secrets.token_bytes(30)).decode(), f"'{p}' + base64 of 30 random bytes", 240, 'a prefix adds nothing')
for p in ['whsec_', 'base64:', 'prod_', 'jwt_live_', 'myapp-', 'HS256:']:
    add(p + base64.b64encode(secrets.token_bytes(32)).decode(), f"'{p}' + base64 of 32 random bytes", 256, 'a prefix adds nothing; the tail carries 256')
for p in ['sk_live_', 'ghp_', 'xoxb-']:
    add(p + ''.join(secrets.choice(string.ascii_letters + string.digits) for _ in range(36)), f"'{p}' + 36 alphanumerics", 36 * lg(62), 'token-like prefix')
CLS = 'structured-random'
for _ in range(2):
    b = secrets.token_bytes(16)
    add((b + b[::-1]).hex(), 'hex of 16 random bytes followed by their reverse', 128)
    b = secrets.token_bytes(24)
    add(base64.b64encode(b + b[::-1]).decode(), 'base64 of 24 random bytes followed by their reverse', 192)
    h = secrets.token_hex(16)
    add(h + h[::-1], 'python3 secrets.token_hex(16) + its reversed text', 128)
for n, z in [(24, 24), (28, 4), (32, 32), (40, 24)]:
    b = secrets.token_bytes(n) + b'\0' * z
    add(base64.b64encode(b).decode(), f'base64 of {n} random bytes + {z} zero bytes', 8 * n, 'constant tail bytes')
    if n == 28:
        add((secrets.token_bytes(n) + b'\xff' * 8).hex(), f'hex of {n} random bytes + 8 0xff bytes', 8 * n)
for n in (24, 28):
    ts = int(time.time() * 1000).to_bytes(8, 'big')
    add(base64.b64encode(ts + secrets.token_bytes(n)).decode(), f'base64 of an 8-byte ms timestamp + {n} random bytes', 8 * n + 10,
        'timestamp prefix (~10 bits of doubt)')
    add(format(int(time.time()), 'x') + secrets.token_hex(n), f'hex unix time + hex of {n} random bytes', 8 * n + 5)
add(str(int(time.time() * 1000)) + secrets.token_urlsafe(24), 'ms timestamp + token_urlsafe(24)', 202)
add(str(int(time.time())) + '-' + str(uuid.uuid4()), 'unix time + - + uuid4', 127)
for w in ['password', 'secretkey', 'mycompany', 'jwttoken!']:
    s = list(sh('openssl rand -base64 32'))
    at = rng.randrange(0, 44 - len(w) - 1)
    s[at:at + len(w)] = w
    add(''.join(s), f"openssl rand -base64 32 with '{w}' written over {len(w)} characters", (43 - len(w)) * 6 + 2)
for _ in range(2):
    h = secrets.token_hex(32)
    add(h[:40] + 'deadbeefcafebabe0000' + h[60:], 'python3 secrets.token_hex(32) with 20 chars replaced by deadbeefcafebabe0000', 44 * 4)
CLS = 'repeated'
for _ in range(3):
    b = base64.b64encode(secrets.token_bytes(32)).decode()
    add(b + b, 'base64 of 32 random bytes written twice', 256, 'a repeat adds nothing: strong for HS256 only')
for _ in range(2):
    h = secrets.token_hex(16)
    add(h * 2, 'hex of 16 random bytes written twice', 128)
    p = sh('pwgen -s 16 1')
    add(p * 4, 'pwgen -s 16 written 4 times', 16 * lg(62))
for _ in range(1):
    b = secrets.token_bytes(32)
    add(base64.b64encode(b + b).decode(), 'base64 of (32 random bytes twice)', 256, 'period in the decoded bytes, not the text')
    b = secrets.token_bytes(48)
    add(base64.b64encode(b + b).decode(), 'base64 of (48 random bytes twice)', 384, 'period in the decoded bytes: strong HS256 and HS384, not HS512')

# connection strings and URLs (a short random password inside)
CLS = 'connection-string'
for tmpl in ['postgres://app:{p}@db.internal:5432/app', 'postgresql://jwt_user:{p}@10.0.3.7:5432/auth?sslmode=require',
             'mysql://root:{p}@localhost:3306/shop', 'mongodb+srv://admin:{p}@cluster0.example.mongodb.net/prod?retryWrites=true',
             'redis://default:{p}@cache.internal:6379/0', 'amqp://guest:{p}@rabbitmq:5672/%2F',
             'https://hooks.example.com/services/T000/B000/{p}', 'Server=tcp:sql.example.net,1433;User ID=api;Password={p};Encrypt=True']:
    add(tmpl.format(p=secrets.token_urlsafe(rng.choice([12, 16, 18]))), 'connection string / URL with secrets.token_urlsafe(12..18) inside', 144,
        'bits: the password part at most')

# public keys (public: 0 secret bits)
CLS = 'public-key'
for algo, opts in [('EC', '-pkeyopt ec_paramgen_curve:P-256'), ('EC', '-pkeyopt ec_paramgen_curve:P-384'), ('ED25519', ''),
                   ('X25519', ''), ('RSA', '-pkeyopt rsa_keygen_bits:2048'), ('EC', '-pkeyopt ec_paramgen_curve:P-521'), ('ED448', '')]:
    s = sh(f'openssl genpkey -algorithm {algo} {opts} 2>/dev/null | openssl pkey -pubout -outform DER | base64 -w0')
    add(s, f'base64 of a public key DER (openssl genpkey -algorithm {algo} {opts})', 0, 'public data')
s = sh('openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 2>/dev/null | openssl pkey -pubout -outform DER | tail -c 65 | xxd -p -c 200')
add(s, 'hex of an uncompressed P-256 public point', 0, 'public data')

# encoded text
CLS = 'encoded-text'
for t in ['this is my super secret key for signing jwt tokens', 'my-application-jwt-signing-secret-2024',
          'The quick brown fox jumps over the lazy dog!']:
    add(base64.b64encode(t.encode()).decode(), 'base64 of English text', 30, 'decodes to text')
    add(base64.b32encode(t.encode()).decode(), 'base32 of English text', 30, 'decodes to text')
    add(t.encode().hex(), 'hex of English text', 30, 'decodes to text')

# sequences and constants
CLS = 'sequence'
add(string.ascii_uppercase + string.ascii_lowercase + string.digits + '+/', 'the base64 alphabet in order', 0)
add(string.ascii_lowercase + string.digits + string.ascii_uppercase, 'a-z0-9A-Z in order', 0)
add(bytes(range(32)).hex(), 'hex of bytes 00..1f', 0)
add(bytes(range(64)).hex(), 'hex of bytes 00..3f', 0)
add(base64.b64encode(bytes(32)).decode(), 'base64 of 32 zero bytes', 0)
add(base64.b64encode(bytes(range(48))).decode(), 'base64 of bytes 0..47', 0)
add('a' * 400 + 'b', "'a' x 400 + 'b'", 9)
add('secret' * 12, "'secret' x 12", 5)
add('0123456789' * 7, "'0123456789' x 7", 2)
add('x' * 64, "'x' x 64", 3)
add('abc123' * 11, "'abc123' x 11", 10)
add('1234567890abcdef' * 4, "'1234567890abcdef' x 4", 8)

# ---------------------------------------------------------------- human text: placeholders, phrases, walks
CLS = 'placeholder'
for p in ['REPLACE_WITH_YOUR_SECRET', 'REPLACE_WITH_YOUR_OWN_LONG_RANDOM_SECRET_KEY_BEFORE_DEPLOYING',
          'CHANGE_ME_TO_A_LONG_RANDOM_STRING_IN_PRODUCTION', 'CHANGE_ME_PLEASE_THIS_IS_NOT_SECURE_AT_ALL_0000',
          'put-your-secret-here', 'put-your-very-long-and-very-secret-jwt-signing-key-here',
          '<insert-a-random-string-of-at-least-64-characters-here-and-keep-it-private>',
          'your_jwt_secret_key_must_be_at_least_32_characters_long',
          'TODO: generate a real secret with openssl rand -base64 32 and paste it here',
          'ersetze-mich-durch-einen-langen-zufaelligen-geheimen-schluessel',
          'remplacez-moi-par-une-cle-secrete-longue-et-aleatoire-en-production',
          'cambia-esto-por-una-clave-secreta-larga-y-aleatoria-en-produccion',
          'altere-esta-chave-secreta-para-uma-string-aleatoria-em-producao',
          'sostituisci-con-una-chiave-segreta-lunga-e-casuale',
          'vervang-dit-door-een-lange-willekeurige-geheime-sleutel',
          'замените-на-длинный-случайный-секретный-ключ',
          'ここにランダムな秘密鍵を入れてください-本番環境では必ず変更すること',
          '请替换为一个足够长的随机密钥并妥善保管不要提交到代码仓库',
          'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
          '${JWT_SECRET}', 'JWT_SECRET', 'SECRET_KEY_GOES_HERE_0123456789_ABCDEFGHIJKLMNOPQRSTUVWXYZ']:
    add(p, 'placeholder text written as the value', 12, 'human text')
CLS = 'human-phrase'
for p in ['ThisIsMyVerySecretJwtKeyForProduction2024!', 'my-super-secret-jwt-key-that-nobody-will-ever-guess-123',
          'correcthorsebatterystaple', 'Tr0ub4dor&3Tr0ub4dor&3Tr0ub4dor&3', 'IamTheKingOfTheWorldAndThisIsMySecret',
          'acme-corp-backend-api-jwt-signing-secret-v2-2025', 'p4ssw0rd!p4ssw0rd!p4ssw0rd!p4ssw0rd!',
          'TheQuickBrownFoxJumpsOverTheLazyDog1234567890!@#$', 'S3cr3tK3yF0rJWTT0k3nS1gn1ng#2024$Pr0duct10n',
          'ilovemydogmaxandmycatbellasomuch19871990', 'Summer2024!Winter2025!Spring2026!Autumn2027!',
          'mysecretkeymysecretkeymysecretkeymysecretkey', 'NeverGonnaGiveYouUpNeverGonnaLetYouDown',
          'jwt-secret-for-the-user-service-do-not-share-with-anyone-please', 'Password123Password123Password123',
          'dev-secret-not-for-production-use-only-for-local-testing-purposes']:
    add(p, 'human-made phrase', 35, 'estimate')
CLS = 'keyboard-walk'
for p in ['!QAZ@WSX#EDC$RFV%TGB^YHN&UJM*IK<(OL>)P:?', '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/', 'qwertyuiopasdfghjklzxcvbnm1234567890QWERTYUIOP',
          'zaq12wsxcde34rfvbgt56yhnmju78ik,.lo90p;/', 'asdfghjklqwertyuiopzxcvbnmasdfghjklqwertyuiop',
          '1q2w3e4r5t6y7u8i9o0p1q2w3e4r5t6y7u8i9o0p', 'qazwsxedcrfvtgbyhnujmikolpqazwsxedcrfvtgbyhnujmikolp',
          '!@#$%^&*()_+!@#$%^&*()_+!@#$%^&*()_+', 'poiuytrewqlkjhgfdsamnbvcxz0987654321', 'QWERTYqwerty123456!@#$%^QWERTYqwerty123456!@#$%^']:
    add(p, 'keyboard walk', 15, 'human text')

# published example secrets (0 bits: anyone can read them)
PUBLISHED = [
    ('AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow', 'RFC 7515 A.1 / RFC 7519 HMAC key (JWK k)'),
    ('hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg', 'RFC 7520 3.5 symmetric key (JWK k)'),
    ('GawgguFyGrWKav7AX4VKUg', 'RFC 7516 A.3 / RFC 7517 A.3 A128KW key (JWK k)'),
    ('09d25e094faa6ca2556c818166b7a9563b93f7099f6f0f4caa6cf63b88e8d3e7', 'FastAPI docs JWT tutorial SECRET_KEY'),
    ('192b9bdd22ab9ed4d12e236c78afcb9a393ec15f71bbf5dc987d54727823bcbf', 'Flask docs example SECRET_KEY'),
    ('DO NOT USE THIS VALUE. INSTEAD, CREATE A COMPLEX SECRET AND KEEP IT SAFE OUTSIDE OF THE SOURCE CODE.', 'NestJS docs jwtConstants.secret'),
    ('your-256-bit-secret', 'jwt.io default'), ('your-384-bit-secret', 'jwt.io default'), ('your-512-bit-secret', 'jwt.io default'),
    ('a-string-secret-at-least-256-bits-long', 'jwt.io default'),
    ('shhhhhhared-secret', 'express-jwt README'), ('keyboard cat', 'express-session README'),
    ('super-secret-jwt-token-with-at-least-32-characters-long', 'Supabase local default JWT secret'),
    ('shhhhh', 'jsonwebtoken README'),
]
CLS = 'published'
for s, g in PUBLISHED:
    add(s, 'published example: ' + g, 0, 'published')

# ---------------------------------------------------------------- whitespace cases (labelled by the principle, counted apart)
CLS = 'whitespace'
for _ in range(5):
    add(sh('openssl rand -base64 64'), 'openssl rand -base64 64 (wrapped at 64 columns: two lines)', 512, 'newline inside the key', True)
for _ in range(2):
    add(sh('openssl rand -base64 64', strip=False), 'openssl rand -base64 64 > file, read with its final newline', 512, 'newlines', True)
    add(sh('openssl rand -base64 32', strip=False), 'openssl rand -base64 32 > file, read with its final newline', 256, 'trailing newline', True)
    add(sh('head -c 64 /dev/urandom | xxd -p'), 'head -c 64 /dev/urandom | xxd -p (60-column lines)', 512, 'newlines inside the key', True)
add(' ' + sh('openssl rand -hex 32'), "' ' + openssl rand -hex 32", 256, 'leading space', True)
add(sh('openssl rand -base64 48') + '\r\n', 'openssl rand -base64 48 + CRLF (file edited on Windows)', 384, 'trailing CRLF', True)
add(sh('openssl rand -base64 16', strip=False), 'openssl rand -base64 16 with its final newline', 128, 'trailing newline', True)

# ---------------------------------------------------------------- write
for e in entries:
    ws = e['secret'] != e['secret'].strip() or any(c in e['secret'] for c in '\n\r\t')
    assert ws == bool(e.get('whitespace')), e
with open(OUT, 'w', encoding='utf-8') as f:
    for e in entries:
        f.write(json.dumps(e, ensure_ascii=False) + '\n')
print(f'{len(entries)} secrets -> {OUT}', file=sys.stderr)
