"""Services: turn stored rows and files into domain data, call the core, store or write the result."""
