"""Route appraisal: routes as versioned data, the engine, the question pages."""
