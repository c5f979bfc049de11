"""posecheck: live form feedback for hip-mobility stretches, from MediaPipe pose landmarks."""

__version__ = "0.1.0"
