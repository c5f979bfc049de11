"""Pure judging: landmarks to check verdicts, hold timers and plans. numpy and the standard
library only.
"""
