#!/usr/bin/env python3
"""Checks that #include lines follow DigitLab's floors: app -> ui -> core -> nn, never back.

  core/nn/   includes only nn/ (and the standard library, Eigen, OpenMP): nothing of core's other
             folders, of ui/ or app/, and no Qt or QuaZip header
  core/      (data, model, io, diagram, train) includes nothing of ui/ or app/, no Qt Widgets or
             Charts, and its folders never include each other in a cycle
  ui/        includes nothing of app/

Usage: check_layering.py [ROOT]     (ROOT: the source tree, default this script's parent folder)
       check_layering.py --self-test
Prints every offending include as file:line and exits 1 when there is one, 0 otherwise.
"""

import os
import re
import sys
import tempfile

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
CORE_FOLDERS = ("nn", "data", "model", "io", "diagram", "train", "inspect")
SOURCE_SUFFIXES = (".h", ".hpp", ".cpp", ".cc")
QT_HEADER = re.compile(r"^(Q[A-Za-z0-9_]*|Qt[A-Za-z]+/.*|quazip/.*)$")
WIDGETS_HEADER = re.compile(r"^(QtWidgets|QtCharts|QtOpenGLWidgets|QtSvgWidgets)/")


def floor_of(rel):
    """'nn', 'data', ... for core's folders, 'core' for core's own root, 'ui', 'app' or None."""
    parts = rel.split("/")
    if parts[0] == "core":
        return parts[1] if len(parts) > 2 and parts[1] in CORE_FOLDERS else "core"
    if parts[0] in ("ui", "app"):
        return parts[0]
    return None


def resolve(root, including_rel, name):
    """The tree-relative path a quoted include names: next to the including file, then the
    include roots core/, ui/, app/ (as the CMake targets set them). None for a file outside."""
    candidates = [os.path.join(os.path.dirname(including_rel), name)]
    candidates += [os.path.join(top, name) for top in ("core", "ui", "app")]
    for c in candidates:
        c = os.path.normpath(c)
        if os.path.isfile(os.path.join(root, c)):
            return c.replace(os.sep, "/")
    # Not (yet) in the tree: judge by the folder it names.
    first = name.split("/")[0]
    if first in CORE_FOLDERS:
        return "core/" + name
    return None


def scan(root):
    """Every quoted and angle include under core/, ui/, app/: (file, line, kind, name, target)."""
    for top in ("core", "ui", "app"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith(SOURCE_SUFFIXES):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, f), root).replace(os.sep, "/")
                with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as src:
                    for number, line in enumerate(src, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        kind, name = m.groups()
                        target = resolve(root, rel, name) if kind == '"' else None
                        yield rel, number, kind, name, target


RANK = {"app": 3, "ui": 2}  # core and its folders: 1, nn: 0


def rank(floor):
    if floor in RANK:
        return RANK[floor]
    return 0 if floor == "nn" else 1


def check(root):
    problems = []
    edges = {}  # (from folder, to folder) -> [(file, line, name)] among core's folders but nn
    for rel, number, kind, name, target in scan(root):
        here = floor_of(rel)
        where = "%s:%d: " % (rel, number)
        if kind == "<":
            if here == "nn" and QT_HEADER.match(name):
                problems.append(where + "nn includes <%s>: core/nn uses no Qt (Eigen, OpenMP and the "
                                "standard library only)" % name)
            elif here not in ("ui", "app") and WIDGETS_HEADER.match(name):
                problems.append(where + "core includes <%s>: core never uses Qt Widgets or Charts" % name)
            continue
        there = floor_of(target) if target else None
        if there is None or there == here:
            continue
        if rank(there) > rank(here):
            problems.append(where + "%s includes \"%s\" of %s: includes run app -> ui -> core -> nn, "
                            "never back" % (here, name, there))
        elif here == "nn" and there != "nn":
            problems.append(where + "nn includes \"%s\" of core/%s: core/nn includes only nn/" % (name, there))
        elif rank(here) == 1 and rank(there) == 1 and "core" not in (here, there):
            edges.setdefault((here, there), []).append((rel, number, name))
    problems += cycles(edges)
    return problems


def cycles(edges):
    """Every include between two of core's folders that lie on a cycle (folders that, through
    their includes, reach each other)."""
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)

    def reaches(a, b):
        seen, todo = set(), [a]
        while todo:
            x = todo.pop()
            if x == b:
                return True
            if x not in seen:
                seen.add(x)
                todo.extend(graph.get(x, ()))
        return False

    out = []
    for (a, b), places in sorted(edges.items()):
        if reaches(b, a):
            for rel, number, name in places:
                out.append("%s:%d: %s includes \"%s\" of %s, and %s includes %s: core's folders must not "
                           "include each other (a cycle)" % (rel, number, a, name, b, b, a))
    return out


def self_test():
    """Builds small trees, each with one wrong include, and checks each is reported at its line;
    a clean tree passes."""
    cases = {
        "nn includes data": ("core/nn/A.h", '#include "data/Dataset.h"\n', "core/data/Dataset.h"),
        "nn includes Qt": ("core/nn/A.h", "#include <QString>\n", None),
        "core includes ui": ("core/io/A.cpp", '#include "MainWindow.h"\n', "ui/MainWindow.h"),
        "core includes widgets": ("core/train/A.cpp", "#include <QtWidgets/QWidget>\n", None),
        "ui includes app": ("ui/A.cpp", '#include "Commands.h"\n', "app/Commands.h"),
        "core cycle": ("core/model/A.cpp", '#include "io/B.h"\n', "core/io/B.h"),
    }
    failures = 0
    for label, (path, text, other) in cases.items():
        with tempfile.TemporaryDirectory() as root:
            def write(rel, content):
                os.makedirs(os.path.join(root, os.path.dirname(rel)), exist_ok=True)
                with open(os.path.join(root, rel), "w") as f:
                    f.write(content)
            write("core/nn/Ok.h", '#include "nn/Tensor.h"\n#include <Eigen/Core>\n#include <vector>\n')
            write("core/nn/Tensor.h", "#include <omp.h>\n")
            write("core/io/B.h", '#include "model/C.h"\n')  # io -> model: fine alone
            write("core/model/C.h", '#include "nn/Tensor.h"\n')
            write("ui/Ok.cpp", '#include "io/B.h"\n#include <QWidget>\n')
            write("app/main.cpp", '#include "Ok.cpp"\n')
            clean = check(root)
            if clean:
                print("self-test: a clean tree was refused:", *clean, sep="\n  ")
                failures += 1
            if other and not os.path.exists(os.path.join(root, other)):
                write(other, "\n")
            write(path, "// first line\n" + text)
            found = check(root)
            if not any(p.startswith(path + ":2: ") for p in found):
                print("self-test: '%s' was not reported at %s:2 (got %s)" % (label, path, found))
                failures += 1
    print("self-test: %s" % ("passed" if failures == 0 else "%d failure(s)" % failures))
    return 1 if failures else 0


def main(argv):
    if len(argv) > 1 and argv[1] == "--self-test":
        return self_test()
    root = argv[1] if len(argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print("check_layering: %d include(s) against the layering" % len(problems))
        return 1
    print("check_layering: every include runs app -> ui -> core -> nn, and core's folders form no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
