#!/usr/bin/env bash
# Compare Tolk's Dutch segmenter with ucto and the OmegaT / LanguageTool
# default SRX rules (run through Tolk's engine) on the gold files in the
# shared data folder, and print a Markdown table.
#
#   segment/compare/run.sh            # from anywhere in the repository
#   TOLK_DATA=/path/to/shared/data segment/compare/run.sh
#
# Installs ucto (Debian package) when it is missing; needs root for that.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v ucto >/dev/null 2>&1; then
	echo "installing ucto..." >&2
	if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
	$SUDO apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ucto >&2
fi
exec go run ./segment/compare "$@"
