#!/usr/bin/env python3
"""Copy real Salesforce fixtures from ../shared into a test project's Fixtures/ folder, and rebuild
tests/FIXTURES-SOURCES.md from the SOURCES.md lines of every fixture copied into any test project.

Usage: eng/copy-fixtures.py <test-project-dir> <shared-relative-path> [...]
       eng/copy-fixtures.py --sources-only
"""
import os, shutil, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "fixtures", "salesforce")


def source_lines():
    lines = {}
    with open(os.path.join(SHARED, "SOURCES.md"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("- ") and ":" in line:
                name = line[2:].split(":", 1)[0].strip()
                lines.setdefault(name, line.rstrip("\n"))
    return lines


def rebuild_sources():
    lines = source_lines()
    out = ["# Fixture sources", "",
           "Files under `tests/*/Fixtures/` (and `benchmarks/*/Fixtures/`) are copies of payloads captured from real orgs, taken from",
           "`../shared/fixtures/salesforce`. Each line names the file, the public repository, path and commit it came",
           "from, and its licence (as given in the shared SOURCES.md).", ""]
    projects = [os.path.join(group, p) for group in ("tests", "benchmarks", "samples")
                if os.path.isdir(os.path.join(ROOT, group)) for p in sorted(os.listdir(os.path.join(ROOT, group)))]
    for project in projects:
        fixtures = os.path.join(ROOT, project, "Fixtures")
        if not os.path.isdir(fixtures):
            continue
        out.append(f"## {project}")
        for dirpath, _, files in sorted(os.walk(fixtures)):
            for name in sorted(files):
                rel = os.path.relpath(os.path.join(dirpath, name), fixtures)
                out.append(f"- `{rel}` — " + (lines.get(name, f"- {name}: see ../shared/fixtures/salesforce/SOURCES.md")[2:]))
        out.append("")
    with open(os.path.join(ROOT, "tests", "FIXTURES-SOURCES.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out))


def main(argv):
    if argv and argv[0] != "--sources-only":
        project, files = argv[0], argv[1:]
        for rel in files:
            src = os.path.join(SHARED, rel)
            dst = os.path.join(ROOT, project, "Fixtures", rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
    rebuild_sources()


if __name__ == "__main__":
    main(sys.argv[1:])
