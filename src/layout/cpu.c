/* Resolver: NUMA nodes, vCPU topology, APIC ids, MPIDRs and node mapping. */
#include <stdlib.h>
#include <string.h>

#include "layout/resolve_internal.h"

#define NUMA_LOCAL 10
#define NUMA_REMOTE 20
#define APIC_XAPIC_MAX 254 /* 255 is the xAPIC broadcast id */
#define APIC_X2APIC_MAX UINT32_C(0xfffffffe)
#define MPIDR_GIC_AFF0 16 /* GICv3 SGI target lists cover Aff0 0..15 */
#define MPIDR_AFF_MAX 255

void rsv_numa(struct rsv *r)
{
	const struct cfg_numa *cn = &r->cfg->numa;
	struct vm_layout *l = r->l;
	size_t n = cn->n_nodes ? cn->n_nodes : 1;
	bool matrix = cn->n_rows == n;
	size_t i, j;

	l->nodes = calloc(n, sizeof(*l->nodes));
	l->distance = calloc(n * n, 1);
	if (!l->nodes || !l->distance) {
		r->oom = true;
		return;
	}
	l->n_nodes = n;
	for (i = 0; i < n; i++) {
		l->nodes[i].id = cn->n_nodes ? cn->nodes[i].id : 0;
		l->nodes[i].host_node = cn->n_nodes ? cn->nodes[i].host_node :
						      -1;
		if (matrix && (!cn->rows[i].v || cn->rows[i].n != n))
			matrix = false;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			uint32_t d = i == j ? NUMA_LOCAL : NUMA_REMOTE;

			if (matrix)
				d = cn->rows[i].v[j];
			l->distance[i * n + j] = d > 255 ? 255 : (uint8_t)d;
		}
	}
}

static void topology(const struct cfg_cpu *c, uint32_t *s, uint32_t *co,
		     uint32_t *t)
{
	if (c->has_topology && c->sockets && c->cores && c->threads) {
		*s = c->sockets;
		*co = c->cores;
		*t = c->threads;
	} else {
		*s = 1;
		*co = c->count ? c->count : 1;
		*t = 1;
	}
}

static void apic_ids(struct rsv *r)
{
	const struct cfg_cpu *c = &r->cfg->cpu;
	struct vm_layout *l = r->l;
	uint32_t tb = rsv_bits(l->threads), cb = rsv_bits(l->cores);
	uint64_t max = 0;
	size_t i;

	l->x2apic_mode = c->x2apic;
	if (cb + tb >= 32) {
		rsv_error(r, "cpu.topology", "APIC id fields need %u bits",
			  cb + tb);
		return;
	}
	for (i = 0; i < l->n_vcpus; i++) {
		struct layout_vcpu *v = &l->vcpus[i];
		uint64_t id = (uint64_t)v->socket << (cb + tb) |
			      (uint64_t)v->core << tb | v->thread;

		id += c->apic_id_offset;
		if (id > APIC_X2APIC_MAX) {
			rsv_error(r, "cpu.x86.apic_id_offset",
				  "APIC id of vCPU %zu does not fit in 32 bits",
				  i);
			return;
		}
		v->apic_id = (uint32_t)id;
		if (id > max)
			max = id;
	}
	l->max_apic_id = (uint32_t)max;
	l->x2apic = max > APIC_XAPIC_MAX || c->x2apic == X2APIC_ENABLED;
	if (max > APIC_XAPIC_MAX && c->x2apic == X2APIC_UNSUPPORTED)
		rsv_error(
			r, "cpu.x86.x2apic",
			"APIC ids go up to %llu, above %d, but x2apic is unsupported",
			(unsigned long long)max, APIC_XAPIC_MAX);
}

static void mpidrs(struct rsv *r)
{
	const struct cfg_cpu *c = &r->cfg->cpu;
	struct vm_layout *l = r->l;
	uint32_t per_socket = (l->cores + MPIDR_GIC_AFF0 - 1) / MPIDR_GIC_AFF0;
	size_t i;

	for (i = 0; i < l->n_vcpus; i++) {
		struct layout_vcpu *v = &l->vcpus[i];
		uint64_t aff0, aff1, aff2;

		if (i < c->n_mpidr && c->mpidr) {
			v->mpidr = c->mpidr[i];
			continue;
		}
		if (l->threads > 1) {
			aff0 = v->thread;
			aff1 = v->core;
			aff2 = v->socket;
		} else {
			aff0 = v->core % MPIDR_GIC_AFF0;
			aff1 = (uint64_t)v->socket * per_socket +
			       v->core / MPIDR_GIC_AFF0;
			aff2 = 0;
		}
		if (aff0 > MPIDR_AFF_MAX || aff1 > MPIDR_AFF_MAX ||
		    aff2 > MPIDR_AFF_MAX) {
			rsv_error(
				r, "cpu.topology",
				"MPIDR of vCPU %zu needs an affinity field above 255; give cpu.aarch64.mpidr",
				i);
			return;
		}
		v->mpidr = aff2 << 16 | aff1 << 8 | aff0;
	}
}

/* Explicit numa.nodes[].cpus first, then round robin by socket. */
static void vcpu_nodes(struct rsv *r)
{
	const struct cfg_numa *cn = &r->cfg->numa;
	struct vm_layout *l = r->l;
	uint32_t bearing[CFG_MAX_NUMA_NODES];
	uint32_t k = 0;
	bool *set;
	size_t i, j;

	set = calloc(l->n_vcpus ? l->n_vcpus : 1, sizeof(*set));
	if (!set) {
		r->oom = true;
		return;
	}
	for (i = 0; i < cn->n_nodes; i++) {
		const struct cfg_numa_node *nd = &cn->nodes[i];

		if (!nd->has_cpus) {
			if (k < ARRAY_SIZE(bearing))
				bearing[k++] = nd->id;
			continue;
		}
		for (j = 0; j < nd->n_cpus; j++) {
			uint32_t c = nd->cpus[j];

			if (c < l->n_vcpus && !set[c]) {
				l->vcpus[c].node = nd->id;
				set[c] = true;
			}
		}
	}
	for (i = 0; i < l->n_vcpus; i++) {
		struct layout_vcpu *v = &l->vcpus[i];
		int idx;

		if (!set[i])
			v->node = k ? bearing[v->socket % k] :
				      (uint32_t)rsv_default_node(r);
		idx = rsv_node_index(r, (int32_t)v->node);
		if (idx >= 0)
			l->nodes[idx].n_cpus++;
	}
	free(set);
}

void rsv_vcpus(struct rsv *r)
{
	const struct cfg_cpu *c = &r->cfg->cpu;
	struct vm_layout *l = r->l;
	uint32_t n = c->count ? c->count : 1;
	uint32_t per_socket;
	size_t i;

	if (n > CFG_MAX_VCPUS) {
		rsv_error(r, "cpu.count", "at most %d vCPUs", CFG_MAX_VCPUS);
		return;
	}
	topology(c, &l->sockets, &l->cores, &l->threads);
	l->vcpus = calloc(n, sizeof(*l->vcpus));
	if (!l->vcpus) {
		r->oom = true;
		return;
	}
	l->n_vcpus = n;
	per_socket = l->cores * l->threads;
	if (per_socket == 0 || per_socket / l->threads != l->cores)
		per_socket = n; /* overflow: the validator rejects this */
	for (i = 0; i < n; i++) {
		struct layout_vcpu *v = &l->vcpus[i];

		v->index = (uint32_t)i;
		v->thread = (uint32_t)(i % l->threads);
		v->core = (uint32_t)((i / l->threads) % l->cores);
		v->socket = (uint32_t)(i / per_socket);
		if (i < c->n_pinning && c->pinning) {
			v->pinned = true;
			v->pin = c->pinning[i];
		}
	}
	if (l->arch == ARCH_X86_64)
		apic_ids(r);
	else
		mpidrs(r);
	vcpu_nodes(r);
}
