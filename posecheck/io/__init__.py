"""The edges: the pose model, video and camera sources and writers, the window, sound, files,
threads and Ctrl-C.
"""
