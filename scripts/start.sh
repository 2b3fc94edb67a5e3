#!/usr/bin/env bash
# Installs the app's requirements into .venv and serves the app at http://localhost:8501.
# Extra arguments go to `streamlit run`, e.g. `bash scripts/start.sh --server.port 8600`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/lib.sh

ensure_venv requirements.txt
echo "==> starting the app (http://localhost:8501 unless --server.port says otherwise)"
exec .venv/bin/python -m streamlit run app.py --server.port 8501 "$@"
