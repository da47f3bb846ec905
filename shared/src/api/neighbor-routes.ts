import { z } from 'zod';
import { Ok } from '../contracts/common';
import {
  AddSensitiveWordBody,
  CommentPage,
  CommentQuery,
  CreateCommentBody,
  CreatePostBody,
  FeedQuery,
  LikeResult,
  ModerationCase,
  ModerationPage,
  ModerationQuery,
  MyPostsQuery,
  Post,
  PostPage,
  RecommendationQuery,
  RemoveBody,
  Reply,
  ReportBody,
  RestoreBody,
  SearchQuery,
  SensitiveWord,
  SensitiveWordList,
  SensitiveWordQuery,
  Standing,
  StandingQuery,
  UpdateCommentBody,
  UpdatePostBody,
} from '../contracts/neighbors';
import type { RouteDef } from './route-def';

const Empty = z.object({}).strict();

/**
 * Neighbors (邻里): posts by topic with images, comments with one level of replies, likes,
 * reports; staff's review queue and sensitive-word list; a shop's 推荐 posts. Reading a
 * community's posts takes being a verified member (or staff) of it; no route acts for an elder.
 */
export const neighborApi = {
  // ---- residents ----
  neighborFeed: { method: 'GET', path: '/v1/neighbors/posts', query: FeedQuery, response: PostPage },
  createPost: { method: 'POST', path: '/v1/neighbors/posts', body: CreatePostBody, response: Post },
  neighborSearch: { method: 'GET', path: '/v1/neighbors/search', query: SearchQuery, response: PostPage },
  myPosts: { method: 'GET', path: '/v1/neighbors/my-posts', query: MyPostsQuery, response: PostPage },
  neighborStanding: {
    method: 'GET',
    path: '/v1/neighbors/standing',
    query: StandingQuery,
    response: Standing,
  },
  neighborPost: { method: 'GET', path: '/v1/neighbors/posts/:id', response: Post },
  updatePost: { method: 'PATCH', path: '/v1/neighbors/posts/:id', body: UpdatePostBody, response: Post },
  deletePost: { method: 'DELETE', path: '/v1/neighbors/posts/:id', response: Ok },
  likePost: { method: 'POST', path: '/v1/neighbors/posts/:id/like', body: Empty, response: LikeResult },
  unlikePost: { method: 'DELETE', path: '/v1/neighbors/posts/:id/like', response: LikeResult },
  reportPost: { method: 'POST', path: '/v1/neighbors/posts/:id/report', body: ReportBody, response: Ok },
  postComments: {
    method: 'GET',
    path: '/v1/neighbors/posts/:id/comments',
    query: CommentQuery,
    response: CommentPage,
  },
  createComment: {
    method: 'POST',
    path: '/v1/neighbors/posts/:id/comments',
    body: CreateCommentBody,
    response: Reply,
  },
  updateComment: {
    method: 'PATCH',
    path: '/v1/neighbors/comments/:id',
    body: UpdateCommentBody,
    response: Reply,
  },
  deleteComment: { method: 'DELETE', path: '/v1/neighbors/comments/:id', response: Ok },
  reportComment: {
    method: 'POST',
    path: '/v1/neighbors/comments/:id/report',
    body: ReportBody,
    response: Ok,
  },
  /** The visible 推荐 posts naming this shop, newest first (the shop page shows them). */
  merchantRecommendations: {
    method: 'GET',
    path: '/v1/merchants/:id/recommendations',
    query: RecommendationQuery,
    response: PostPage,
  },

  // ---- staff of the community ----
  moderationQueue: {
    method: 'GET',
    path: '/v1/staff/moderation',
    query: ModerationQuery,
    response: ModerationPage,
  },
  moderationCase: { method: 'GET', path: '/v1/staff/moderation/:id', response: ModerationCase },
  restoreCase: {
    method: 'POST',
    path: '/v1/staff/moderation/:id/restore',
    body: RestoreBody,
    response: ModerationCase,
  },
  removeCase: {
    method: 'POST',
    path: '/v1/staff/moderation/:id/remove',
    body: RemoveBody,
    response: ModerationCase,
  },
  sensitiveWords: {
    method: 'GET',
    path: '/v1/staff/sensitive-words',
    query: SensitiveWordQuery,
    response: SensitiveWordList,
  },
  addSensitiveWord: {
    method: 'POST',
    path: '/v1/staff/sensitive-words',
    body: AddSensitiveWordBody,
    response: SensitiveWord,
  },
  deleteSensitiveWord: { method: 'DELETE', path: '/v1/staff/sensitive-words/:id', response: Ok },
} as const satisfies Record<string, RouteDef>;
