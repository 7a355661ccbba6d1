"""Writes N real HS256 tokens, one per line, made with Python's own hmac (independent of jwtkit)."""
import base64, hashlib, hmac, json, os, sys, time

SECRET = os.environ.get("BENCH_SECRET", "bench-secret-7f3a9c0e5b2d4e6f8a1b3c5d7e9f0a2b")


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def write_tokens(path, count, secret=SECRET):
    # Reuse a file only while its tokens are fresh (they expire an hour after they are made).
    if os.path.exists(path) and time.time() - os.path.getmtime(path) < 1800 and sum(1 for _ in open(path)) == count:
        return path
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    now = int(time.time())
    with open(path, "w") as f:
        for i in range(count):
            claims = {"sub": f"user-{i}", "iss": "https://auth.example.com", "aud": "api", "iat": now,
                      "exp": now + 3600 + i % 600, "scope": "read write", "jti": f"{i:08x}"}
            payload = b64(json.dumps(claims, separators=(",", ":")).encode())
            signing_input = f"{header}.{payload}".encode()
            sig = b64(hmac.new(secret.encode(), signing_input, hashlib.sha256).digest())
            f.write(f"{header}.{payload}.{sig}\n")
    return path


if __name__ == "__main__":
    write_tokens(sys.argv[1], int(sys.argv[2]))
