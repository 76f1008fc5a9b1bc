"""HTTP routes: parse, check, call one action, render."""
