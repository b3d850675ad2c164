"""LearnLoop's benchmarks: seed a network at scale, then time its key pages under load."""
