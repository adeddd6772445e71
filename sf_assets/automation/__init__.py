"""Jobs, schedules and sensors over the project's assets (see `definitions.apply_automation`)."""
