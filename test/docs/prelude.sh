# Sourced before a document's examples (test/docs/run-docs.ts): stop at the first failing command,
# name it, run `npx lupa` from the repository, and make `curl` fail on an HTTP error.
set -Eeuo pipefail
npx() { if [ "${1-}" = lupa ]; then shift; node "$__repo/bin/lupa.mjs" "$@"; else command npx "$@"; fi; }
lupa() { node "$__repo/bin/lupa.mjs" "$@"; }
curl() {
  local args=() fail=1 a
  for a in "$@"; do
    case "$a" in
      --fail|--fail-with-body) fail=0 ;;
      --*) ;;
      -*) if [[ "$a" =~ ^-[A-Za-z]*f[A-Za-z]*$ ]]; then fail=0; fi ;;
    esac
    a="${a//127.0.0.1:8080/127.0.0.1:$__port}"
    a="${a//localhost:8080/127.0.0.1:$__port}"
    args+=("$a")
  done
  if [ "$fail" = 1 ] && [ "$__shows_error" = 0 ]; then args=(--fail-with-body --silent --show-error "${args[@]}"); fi
  command curl "${args[@]}"
}
trap '__rc=$?; echo "docs example failed (exit $__rc): $__doc, the block at line $__block: $BASH_COMMAND" >&2; exit $__rc' ERR
