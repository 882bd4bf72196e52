/** Singularity Image Format (SIF) containers written in plain Java around a squashfs root filesystem. */
package io.swell.core.sif;
