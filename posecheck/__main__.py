"""`python -m posecheck` is the same as the `posecheck` command."""

from posecheck.cli import main

main(prog_name="posecheck")
