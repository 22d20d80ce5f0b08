"""Turn the dashboard's figures into sections: a chart (SVG), its figures as a table, a
definition, and a link to the list behind it. The page, the PDF and the XLSX (one sheet per
section) all read these sections, so they always say the same thing."""
