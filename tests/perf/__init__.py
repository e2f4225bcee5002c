"""Developer tooling kept out of the shipped packages: the load test and benchmarks."""
