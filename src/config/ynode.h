/* YAML node tree with source positions, built from libyaml events. */
#ifndef VMMD_YNODE_H
#define VMMD_YNODE_H

#include <stdbool.h>
#include <stddef.h>

#include "vmmd/common.h"
#include "vmmd/diag.h"

/* Hard limits: a hostile file must not exhaust the stack or memory. */
#define YNODE_MAX_DEPTH 32
#define YNODE_MAX_NODES 200000
#define YNODE_MAX_FILE (4u << 20) /* 4 MiB */

enum ynode_kind {
	YN_SCALAR,
	YN_MAP,
	YN_SEQ,
};

struct ynode;

struct ynode_pair {
	char *key;
	int key_line, key_col; /* position of the key itself */
	struct ynode *value;
};

struct ynode {
	enum ynode_kind kind;
	int line, col; /* 1-based start of the node */
	/* YN_SCALAR */
	char *scalar; /* NUL-terminated; may contain NULs only if len says so */
	size_t len;
	bool plain; /* unquoted plain scalar (numbers, booleans) */
	/* YN_MAP: pairs in file order; YN_SEQ: items in file order */
	size_t n;
	struct ynode_pair *pairs;
	struct ynode **items;
};

/*
 * Parses one YAML document into a tree. Syntax errors, duplicate keys,
 * non-scalar keys, aliases, tags other than the core ones, more than one
 * document and the limits above are reported into @dl with @file as the
 * name. Returns 0 and sets *out (NULL for an empty document) or -EINVAL
 * when diagnostics were added, -ENOMEM on allocation failure.
 */
int ynode_parse(const char *file, const char *buf, size_t len,
		struct ynode **out, struct diag_list *dl) __must_check;

void ynode_free(struct ynode *n);

/* Value of @key in mapping @map, or NULL (also when @map is not a map). */
const struct ynode *ynode_get(const struct ynode *map, const char *key);

/*
 * Follows a path such as "numa.nodes[1].cpus[0]" from @root. Returns the
 * deepest node reached (never NULL when root is not NULL); *complete tells
 * whether the whole path was found. For a final key, the value's position is
 * used. Used to put a line:col on validator and resolver errors.
 */
const struct ynode *ynode_lookup(const struct ynode *root, const char *path,
				 bool *complete);

#endif
