#!/usr/bin/env python3
"""Hostile YAML inputs: alias bomb (10 levels x 10 aliases), 100,000-deep flow nesting, 10 MiB scalar."""
bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
for i in range(9):
    name, prev = chr(ord("b") + i), chr(ord("a") + i)
    bomb += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]\n"
open("bomb.yaml", "w").write(bomb)
open("deep.yaml", "w").write("[" * 100_000 + "]" * 100_000 + "\n")
open("scalar.yaml", "w").write("a: " + "x" * (10 << 20) + "\n")
