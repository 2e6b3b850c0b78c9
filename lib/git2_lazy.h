/* git2_lazy.h - libgit2, loaded the first time libward needs it.
 * Private to libward.
 *
 * libgit2 brings two dozen libraries with it (TLS, SSH, Kerberos, HTTP)
 * whose loading and constructors cost a few milliseconds at every start,
 * more than the rest of `ward scan FILE` outside a repository.  So libward
 * does not link it: the first caller that needs a repository calls
 * ward_git2_init(), which maps libgit2.so.<LIBGIT2_SOVERSION> with dlopen
 * (once per process) and fills a table from it.
 *
 * Every lib file that calls libgit2 includes this header (gitrepo.h and
 * history.h do), which still gives git2.h's types and constants; each
 * function below is a macro that calls through the table, so the code
 * keeps writing git_repository_open_ext(...).  A libgit2 function missing
 * from the list is an undefined symbol at link time (libward.so links with
 * --no-undefined), never a silent direct call: add it to WARD_GIT2_FUNCS
 * and to the #defines.
 */
#ifndef WARD_GIT2_LAZY_H
#define WARD_GIT2_LAZY_H

#include <git2.h>
#include <stddef.h>

#include "../include/ward.h"

/* The libgit2 functions libward calls, without their git_ prefix. */
#define WARD_GIT2_FUNCS(X) \
    X(blob_free) \
    X(blob_lookup) \
    X(blob_rawcontent) \
    X(blob_rawsize) \
    X(branch_iterator_free) \
    X(branch_iterator_new) \
    X(branch_next) \
    X(commit_author) \
    X(commit_free) \
    X(commit_id) \
    X(commit_lookup) \
    X(commit_parent) \
    X(commit_parentcount) \
    X(commit_tree) \
    X(config_free) \
    X(config_get_string) \
    X(diff_find_options_init) \
    X(diff_find_similar) \
    X(diff_free) \
    X(diff_get_delta) \
    X(diff_num_deltas) \
    X(diff_options_init) \
    X(diff_tree_to_index) \
    X(error_clear) \
    X(error_last) \
    X(ignore_path_is_ignored) \
    X(index_free) \
    X(index_open) \
    X(libgit2_init) \
    X(libgit2_opts) \
    X(libgit2_shutdown) \
    X(libgit2_version) \
    X(object_free) \
    X(object_id) \
    X(object_lookup) \
    X(object_peel) \
    X(odb_free) \
    X(odb_object_data) \
    X(odb_object_free) \
    X(odb_object_size) \
    X(odb_object_type) \
    X(odb_read) \
    X(odb_read_header) \
    X(oid_cpy) \
    X(oid_equal) \
    X(oid_fromraw) \
    X(oid_fromstrn) \
    X(oid_tostr) \
    X(patch_free) \
    X(patch_from_diff) \
    X(patch_get_hunk) \
    X(patch_num_hunks) \
    X(reference_foreach) \
    X(reference_free) \
    X(reference_list) \
    X(reference_lookup) \
    X(reference_name) \
    X(reference_name_to_id) \
    X(reference_peel) \
    X(reference_resolve) \
    X(reference_symbolic_target) \
    X(reference_target) \
    X(reference_type) \
    X(repository_commondir) \
    X(repository_config_snapshot) \
    X(repository_free) \
    X(repository_head_unborn) \
    X(repository_index) \
    X(repository_is_bare) \
    X(repository_is_shallow) \
    X(repository_odb) \
    X(repository_open_ext) \
    X(repository_path) \
    X(repository_workdir) \
    X(revparse_single) \
    X(revwalk_free) \
    X(revwalk_hide) \
    X(revwalk_new) \
    X(revwalk_next) \
    X(revwalk_push) \
    X(revwalk_push_glob) \
    X(revwalk_push_head) \
    X(strarray_dispose) \
    X(tree_entry_byname) \
    X(tree_entry_bypath) \
    X(tree_entry_free) \
    X(tree_entry_id) \
    X(tree_free)

typedef struct ward_git2_table {
#define WARD_GIT2_MEMBER(name) __typeof__(git_##name) *name;
    WARD_GIT2_FUNCS(WARD_GIT2_MEMBER)
#undef WARD_GIT2_MEMBER
} ward_git2_table;

/* Filled once by ward_git2_init; read only after it returned WARD_OK. */
extern ward_git2_table ward_git2;

/* Loads libgit2 unless it is loaded already (thread-safe), then calls
 * git_libgit2_init(); pair a WARD_OK with one git_libgit2_shutdown().
 * WARD_EIO with "cannot load 'libgit2.so.1.5': reason" in err when the
 * library cannot be loaded, lacks a function, or is another version; later
 * calls fail the same way.  WARD_LIBGIT2, when set, names the file to load
 * instead (for tests, and for a libgit2 kept outside the loader's path). */
ward_status ward_git2_init(char *err, size_t errlen);

/* Whether a repository may hold path (when search is set: path or a
 * folder above it), judged with stat alone: a .git entry, or the HEAD of
 * a bare repository.  0 means surely not, so a caller that only wants to
 * know need not load libgit2; 1 means libgit2 must decide. */
int ward_git2_maybe_repo(const char *path, int search);

#define git_blob_free (ward_git2.blob_free)
#define git_blob_lookup (ward_git2.blob_lookup)
#define git_blob_rawcontent (ward_git2.blob_rawcontent)
#define git_blob_rawsize (ward_git2.blob_rawsize)
#define git_branch_iterator_free (ward_git2.branch_iterator_free)
#define git_branch_iterator_new (ward_git2.branch_iterator_new)
#define git_branch_next (ward_git2.branch_next)
#define git_commit_author (ward_git2.commit_author)
#define git_commit_free (ward_git2.commit_free)
#define git_commit_id (ward_git2.commit_id)
#define git_commit_lookup (ward_git2.commit_lookup)
#define git_commit_parent (ward_git2.commit_parent)
#define git_commit_parentcount (ward_git2.commit_parentcount)
#define git_commit_tree (ward_git2.commit_tree)
#define git_config_free (ward_git2.config_free)
#define git_config_get_string (ward_git2.config_get_string)
#define git_diff_find_options_init (ward_git2.diff_find_options_init)
#define git_diff_find_similar (ward_git2.diff_find_similar)
#define git_diff_free (ward_git2.diff_free)
#define git_diff_get_delta (ward_git2.diff_get_delta)
#define git_diff_num_deltas (ward_git2.diff_num_deltas)
#define git_diff_options_init (ward_git2.diff_options_init)
#define git_diff_tree_to_index (ward_git2.diff_tree_to_index)
#define git_error_clear (ward_git2.error_clear)
#define git_error_last (ward_git2.error_last)
#define git_ignore_path_is_ignored (ward_git2.ignore_path_is_ignored)
#define git_index_free (ward_git2.index_free)
#define git_index_open (ward_git2.index_open)
#define git_libgit2_init (ward_git2.libgit2_init)
#define git_libgit2_opts (ward_git2.libgit2_opts)
#define git_libgit2_shutdown (ward_git2.libgit2_shutdown)
#define git_libgit2_version (ward_git2.libgit2_version)
#define git_object_free (ward_git2.object_free)
#define git_object_id (ward_git2.object_id)
#define git_object_lookup (ward_git2.object_lookup)
#define git_object_peel (ward_git2.object_peel)
#define git_odb_free (ward_git2.odb_free)
#define git_odb_object_data (ward_git2.odb_object_data)
#define git_odb_object_free (ward_git2.odb_object_free)
#define git_odb_object_size (ward_git2.odb_object_size)
#define git_odb_object_type (ward_git2.odb_object_type)
#define git_odb_read (ward_git2.odb_read)
#define git_odb_read_header (ward_git2.odb_read_header)
#define git_oid_cpy (ward_git2.oid_cpy)
#define git_oid_equal (ward_git2.oid_equal)
#define git_oid_fromraw (ward_git2.oid_fromraw)
#define git_oid_fromstrn (ward_git2.oid_fromstrn)
#define git_oid_tostr (ward_git2.oid_tostr)
#define git_patch_free (ward_git2.patch_free)
#define git_patch_from_diff (ward_git2.patch_from_diff)
#define git_patch_get_hunk (ward_git2.patch_get_hunk)
#define git_patch_num_hunks (ward_git2.patch_num_hunks)
#define git_reference_foreach (ward_git2.reference_foreach)
#define git_reference_free (ward_git2.reference_free)
#define git_reference_list (ward_git2.reference_list)
#define git_reference_lookup (ward_git2.reference_lookup)
#define git_reference_name (ward_git2.reference_name)
#define git_reference_name_to_id (ward_git2.reference_name_to_id)
#define git_reference_peel (ward_git2.reference_peel)
#define git_reference_resolve (ward_git2.reference_resolve)
#define git_reference_symbolic_target (ward_git2.reference_symbolic_target)
#define git_reference_target (ward_git2.reference_target)
#define git_reference_type (ward_git2.reference_type)
#define git_repository_commondir (ward_git2.repository_commondir)
#define git_repository_config_snapshot (ward_git2.repository_config_snapshot)
#define git_repository_free (ward_git2.repository_free)
#define git_repository_head_unborn (ward_git2.repository_head_unborn)
#define git_repository_index (ward_git2.repository_index)
#define git_repository_is_bare (ward_git2.repository_is_bare)
#define git_repository_is_shallow (ward_git2.repository_is_shallow)
#define git_repository_odb (ward_git2.repository_odb)
#define git_repository_open_ext (ward_git2.repository_open_ext)
#define git_repository_path (ward_git2.repository_path)
#define git_repository_workdir (ward_git2.repository_workdir)
#define git_revparse_single (ward_git2.revparse_single)
#define git_revwalk_free (ward_git2.revwalk_free)
#define git_revwalk_hide (ward_git2.revwalk_hide)
#define git_revwalk_new (ward_git2.revwalk_new)
#define git_revwalk_next (ward_git2.revwalk_next)
#define git_revwalk_push (ward_git2.revwalk_push)
#define git_revwalk_push_glob (ward_git2.revwalk_push_glob)
#define git_revwalk_push_head (ward_git2.revwalk_push_head)
#define git_strarray_dispose (ward_git2.strarray_dispose)
#define git_tree_entry_byname (ward_git2.tree_entry_byname)
#define git_tree_entry_bypath (ward_git2.tree_entry_bypath)
#define git_tree_entry_free (ward_git2.tree_entry_free)
#define git_tree_entry_id (ward_git2.tree_entry_id)
#define git_tree_free (ward_git2.tree_free)

#endif
