"""From read notes to the OKR model: roles, properties, links, key results and
every measurement source (sources/)."""
