"""The demo network: a year of a school-improvement and family-engagement network, built
deterministically so that every demo, screenshot and benchmark starts from the same place.

Use `learnloop.demo.builder.build_demo()`."""
