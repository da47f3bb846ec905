import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route';
import { createComment, deleteComment, listComments, updateComment } from './comments';
import { addWord, decideCase, deleteWord, getCase, listWords, moderationQueue, report } from './moderation';
import {
  createPost,
  deletePost,
  feed,
  getPost,
  myPosts,
  recommendations,
  search,
  setLike,
  updatePost,
} from './posts';
import { getStanding } from './standing';

/** Residents' routes (the services check membership per community) and staff's under /v1/staff. */
export async function neighborRoutes(app: FastifyInstance) {
  const deps = app.deps;
  route(app, 'neighborFeed', { handler: ({ actor, query }) => feed(deps, actor, query) });
  route(app, 'createPost', { status: 201, handler: ({ actor, body }) => createPost(deps, actor, body) });
  route(app, 'neighborSearch', { handler: ({ actor, query }) => search(deps, actor, query) });
  route(app, 'myPosts', { handler: ({ actor, query }) => myPosts(deps, actor, query) });
  route(app, 'neighborStanding', {
    handler: ({ actor, query }) => getStanding(deps, actor, query.communityId),
  });
  route(app, 'neighborPost', { handler: ({ actor, params }) => getPost(deps, actor, params.id) });
  route(app, 'updatePost', {
    handler: ({ actor, params, body }) => updatePost(deps, actor, params.id, body),
  });
  route(app, 'deletePost', { handler: ({ actor, params }) => deletePost(deps, actor, params.id) });
  route(app, 'likePost', { handler: ({ actor, params }) => setLike(deps, actor, params.id, true) });
  route(app, 'unlikePost', { handler: ({ actor, params }) => setLike(deps, actor, params.id, false) });
  route(app, 'reportPost', {
    handler: ({ actor, params, body }) => report(deps, actor, 'post', params.id, body),
  });
  route(app, 'postComments', {
    handler: ({ actor, params, query }) => listComments(deps, actor, params.id, query),
  });
  route(app, 'createComment', {
    status: 201,
    handler: ({ actor, params, body }) => createComment(deps, actor, params.id, body),
  });
  route(app, 'updateComment', {
    handler: ({ actor, params, body }) => updateComment(deps, actor, params.id, body.text),
  });
  route(app, 'deleteComment', { handler: ({ actor, params }) => deleteComment(deps, actor, params.id) });
  route(app, 'reportComment', {
    handler: ({ actor, params, body }) => report(deps, actor, 'comment', params.id, body),
  });
  route(app, 'merchantRecommendations', {
    handler: ({ actor, params, query }) => recommendations(deps, actor, params.id, query),
  });

  const staff = { roles: ['staff' as const] };
  route(app, 'moderationQueue', {
    config: staff,
    handler: ({ actor, query }) => moderationQueue(deps, actor, query),
  });
  route(app, 'moderationCase', {
    config: staff,
    handler: ({ actor, params }) => getCase(deps, actor, params.id),
  });
  route(app, 'restoreCase', {
    config: staff,
    handler: ({ actor, params, body }) => decideCase(deps, actor, params.id, 'restore', body.note ?? null),
  });
  route(app, 'removeCase', {
    config: staff,
    handler: ({ actor, params, body }) => decideCase(deps, actor, params.id, 'remove', body.reason),
  });
  route(app, 'sensitiveWords', {
    config: staff,
    handler: ({ actor, query }) => listWords(deps, actor, query.communityId),
  });
  route(app, 'addSensitiveWord', {
    config: staff,
    status: 201,
    handler: ({ actor, body }) => addWord(deps, actor, body),
  });
  route(app, 'deleteSensitiveWord', {
    config: staff,
    handler: ({ actor, params }) => deleteWord(deps, actor, params.id),
  });
}
