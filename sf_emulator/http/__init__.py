"""HTTP plumbing shared by the API families: request object, endpoint wrapper, error rendering."""
