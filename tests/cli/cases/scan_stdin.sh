# "-" reads standard input; findings name it "-".
ward-fake --seed 9 'x' 'export TOKEN=ghp_%{crc62:30}' | ward scan -
