"""A local Salesforce org served over HTTPS, for tests, the demo and benchmarks."""
