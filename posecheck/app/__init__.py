"""The commands' work, wired from the layers below: the one frame loop, analyze, live practice
and the routine, calibration.
"""
