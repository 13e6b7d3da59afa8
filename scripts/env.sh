#!/usr/bin/env bash
# Write a local `.env` with freshly generated keys, once. An existing .env is never touched.
# The file is git-ignored and readable by its owner only (mode 600).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -f .env ] && exit 0
PY=.venv/bin/python
umask 077
{
  echo "# Written by scripts/env.sh on $(date -u +%Y-%m-%d). Secrets for this machine only:"
  echo "# never commit or copy this file. Variables set in the environment take precedence."
  echo "TRAPPEN_ENV=demo"
  echo "SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
  echo "TRAPPEN_FIELD_KEY=$("$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
  echo "TRAPPEN_LOOKUP_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(32))')"
} >.env.tmp
mv .env.tmp .env
chmod 600 .env
echo "==> wrote .env with new keys (mode 600)"
