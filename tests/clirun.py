"""Running the command line in tests, and the one-line error every bad input must give."""

from __future__ import annotations

from click.testing import CliRunner

from posecheck.cli import main


def invoke(*args):
    """`posecheck ARGS...` in-process; arguments may be paths or numbers."""
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result, code: int = 2) -> str:
    """The single 'Error: ...' line of a run that failed with `code`, no traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]
