import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Tokens signed by PyJWT (tests/fixtures/make-tokens.py); iat = 1795000000, exp = iat + 900. */
export const TOKENS: Record<string, string> = JSON.parse(readFileSync(`${FIXTURES}tokens.json`, 'utf8'));
export const JWE = readFileSync(`${FIXTURES}jwe.txt`, 'utf8').trim();
export const HS_SECRET = readFileSync(`${FIXTURES}hs256.secret`, 'utf8');
export const IAT = 1_795_000_000;
/** 5 minutes into the fixture tokens' 15-minute life */
export const DURING = IAT + 300;
export const key = (name: string) => `${FIXTURES}keys/${name}`;
