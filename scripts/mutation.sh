#!/usr/bin/env bash
# Mutation testing, one module at a time, each against its own test files: too slow for
# CI, run it yourself (pip install -e '.[test,mutation]') and report the scores.
#
#   scripts/mutation.sh                      # money credit shipping verification escrow
#   scripts/mutation.sh money credit         # some of them
#   scripts/mutation.sh escrow/timers        # one module of the escrow package
#   MUTATION_CHILDREN=1 scripts/mutation.sh  # fewer parallel test runs (default: 2)
#
# Each module runs in a fresh copy of the working tree (tracked files, as they are now),
# so nothing here touches your checkout. The slow exhaustive exploration is left out of
# every run (-m "not slow", and escrow without tests/test_escrow_exhaustive.py). Prints
# killed / total and the score per module, and leaves the survivors' names in
# mutation-<module>.txt in the current directory (read one with `mutmut show NAME` in
# the copy whose path is printed).
set -euo pipefail

command -v mutmut > /dev/null || { echo "mutmut is not installed: pip install -e '.[mutation]'" >&2; exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
children=${MUTATION_CHILDREN:-2}
modules=("$@")
[ ${#modules[@]} -eq 0 ] && modules=(money credit shipping verification escrow)

sources() {
  case $1 in
    money) echo "src/tradeassure/money.py" ;;
    credit) echo "src/tradeassure/credit.py" ;;
    shipping) echo "src/tradeassure/shipping.py" ;;
    verification) echo "src/tradeassure/verification/*" ;;
    escrow) echo "src/tradeassure/escrow/*" ;;
    escrow/*) echo "src/tradeassure/$1.py" ;;
    *) echo "unknown module $1: expected money, credit, shipping, verification or escrow" >&2; exit 2 ;;
  esac
}

tests() {
  local globs
  case $1 in
    money) globs="tests/test_money*.py tests/test_context.py" ;;
    credit) globs="tests/test_credit*.py" ;;
    shipping) globs="tests/test_shipping*.py tests/test_escrow_days.py tests/test_domain.py" ;;
    verification) globs="tests/test_verification*.py tests/test_passwords*.py" ;;
    escrow | escrow/*) globs="tests/test_escrow*.py" ;;
  esac
  (cd "$root" && ls $globs 2> /dev/null | grep -v exhaustive | tr '\n' ' ')
}

for module in "${modules[@]}"; do  # every name checked before any work is done
  sources "$module" > /dev/null || exit 2
  case $module in escrow/*) [ -f "$root/$(sources "$module")" ] \
    || { echo "no module $module: expected escrow/<a file of src/tradeassure/escrow>" >&2; exit 2; } ;;
  esac
done

for module in "${modules[@]}"; do
  work=$(mktemp -d "${TMPDIR:-/tmp}/mutation-${module//\//-}.XXXX")
  (cd "$root" && git ls-files -z | xargs -0 cp --parents -t "$work")
  existing=()
  for t in $(tests "$module"); do [ -f "$work/$t" ] && existing+=("$t"); done
  python - "$work/pyproject.toml" "$(sources "$module")" "${existing[@]}" <<'PY'
import json, re, sys
path, only, *test_files = sys.argv[1:]
text = open(path, encoding="utf-8").read()
section = (
    "[tool.mutmut]\n"
    'source_paths = ["src"]\n'
    f"only_mutate = {json.dumps([only])}\n"
    'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-m", "not slow"]\n'
    f"pytest_add_cli_args_test_selection = {json.dumps(test_files)}\n"
    # mutmut copies src and tests only; tests/test_domain.py reads docs/design.md.
    'also_copy = ["docs"]\n'
)
text, n = re.subn(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", section + "\n", text)
assert n == 1, "pyproject.toml has no [tool.mutmut] section"
open(path, "w", encoding="utf-8").write(text)
PY
  echo "== $module: $(sources "$module") against ${existing[*]} (in $work)"
  (cd "$work" && export HYPOTHESIS_PROFILE=mutation && mutmut run --max-children "$children" > mutmut.log 2>&1 || true
   mutmut export-cicd-stats > /dev/null 2>&1 || true
   mutmut results 2>/dev/null \
     | sed -n 's/^ *\([^:]*\): \(survived\|no tests\|suspicious\|segfault\|not checked\)$/\1/p' \
     > "survivors.txt" || true)
  cp "$work/survivors.txt" "mutation-${module//\//-}.txt"
  if [ ! -f "$work/mutants/mutmut-cicd-stats.json" ] && python - "$work/mutants" <<'PY'
import json, pathlib, sys
# mutmut stops early with no statistics when it made no mutant at all (a module of
# imports only, such as escrow/__init__): each mutated file's .meta lists its mutants.
metas = list(pathlib.Path(sys.argv[1]).rglob("*.py.meta"))
sys.exit(0 if metas and not any(json.loads(m.read_text())["exit_code_by_key"] for m in metas) else 1)
PY
  then
    echo "$module: no mutants (nothing in it to mutate)"
    continue
  fi
  python - "$work/mutants/mutmut-cicd-stats.json" "$module" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))
# A mutant no test runs, or one that crashed or looked suspicious, is as alive as one
# that survives its tests: all count. A run that did not judge every mutant gets no
# score, since the part it did judge would flatter it.
killed = stats["killed"] + stats.get("timeout", 0)
alive = sum(stats.get(k, 0) for k in ("survived", "no_tests", "suspicious", "segfault"))
unjudged = stats["total"] - killed - alive - stats.get("skipped", 0)
if unjudged or stats.get("check_was_interrupted_by_user"):
    sys.exit(f"{sys.argv[2]}: the run judged {killed + alive} of {stats['total']} mutants; "
             "no score (see mutmut.log in the copy)")
judged = killed + alive
score = killed / judged if judged else 0
print(f"{sys.argv[2]}: {killed} of {judged} mutants killed ({score:.1%}); "
      f"{stats['survived']} survived their tests, {stats.get('no_tests', 0)} ran no test, "
      f"{stats.get('suspicious', 0) + stats.get('segfault', 0)} suspicious or crashed")
PY
done
