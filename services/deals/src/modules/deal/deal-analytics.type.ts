import { Money } from '@kartoteka/kit';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { CaseStage } from '../case-template/case-template.type';
import { User } from '../user/user.stub';
import { Deal } from './deal.entity';

@ObjectType({ description: 'A column of the deal board: one stage of the template\'s latest version' })
export class DealBoardColumn {
  @Field(() => CaseStage) stage!: CaseStage;
  @Field(() => Int, { description: 'Deals in this stage (of any version of the template)' }) totalCount!: number;
  @Field(() => Money, { description: 'Sum of their amounts in the base currency (RUB)' }) sum!: Money;
  @Field(() => [Deal], { description: 'The first 50, most recently moved here first' }) deals!: Deal[];
}

@ObjectType()
export class DealFunnelStage {
  @Field() stageKey!: string;
  @Field() name!: string;
  @Field(() => Int, { description: 'Deals that have been in this stage' }) reached!: number;
  @Field(() => Int, { description: 'Deals in this stage now' }) current!: number;
  @Field(() => Money, { description: 'Sum now: the amounts of the deals in this stage now (base currency); with no filters, the board column\'s sum' })
  currentAmount!: Money;
  @Field(() => Money, { description: 'Sum of the amounts of every deal that has been in this stage, whether still there or not (base currency)' })
  reachedAmount!: Money;
  @Field(() => Money, { deprecationReason: 'Ambiguous: it is reachedAmount (every deal that ever reached the stage); use currentAmount for the sum now' })
  amount!: Money;
}

@ObjectType({
  description:
    'Of the deals that reached one stage of the path to the won stage, the share that later went further along it: reached the next stage or a ' +
    'stage after it. Stages are matched by key across template versions, in the latest version\'s order, so a deal on an older version without ' +
    'the next stage (added later) counts as converted when it went beyond it',
})
export class DealStageConversion {
  @Field() fromStageKey!: string;
  @Field() toStageKey!: string;
  @Field(() => Int, { description: 'Deals that reached fromStage (the denominator)' }) reached!: number;
  @Field(() => Int, { description: 'Of those, the deals that later reached toStage or a stage after it on the path' }) converted!: number;
  @Field(() => Float, { description: 'converted / reached, 0..1 (0 when none reached fromStage)' }) rate!: number;
}

@ObjectType()
export class DealStageTime {
  @Field() stageKey!: string;
  @Field(() => Float, { nullable: true, description: 'Average days deals stayed (finished stays only); null when none left yet' }) averageDays!: number | null;
}

@ObjectType()
export class DealOwnerStats {
  @Field(() => User, { nullable: true }) owner!: User | null;
  @Field(() => Int) deals!: number;
  @Field(() => Int) won!: number;
  @Field(() => Int) lost!: number;
  @Field(() => Float, { nullable: true, description: 'won / (won + lost); null while none is closed' }) winRate!: number | null;
  @Field(() => Money) weightedAmount!: Money;
}

@ObjectType()
export class DealPeriodStats {
  @Field({ description: 'Month of creation, YYYY-MM (UTC)' }) period!: string;
  @Field(() => Int) created!: number;
  @Field(() => Int, { description: 'Of those created in the month, won by now' }) won!: number;
  @Field(() => Int, { description: 'Of those created in the month, lost by now' }) lost!: number;
}

@ObjectType({ description: 'Funnel analytics of one template\'s deals, computed in SQL' })
export class DealAnalytics {
  @Field(() => [DealFunnelStage]) funnel!: DealFunnelStage[];
  @Field(() => [DealStageConversion], { description: 'Between consecutive stages of the path to the won stage' }) conversion!: DealStageConversion[];
  @Field(() => [DealStageTime]) timeInStage!: DealStageTime[];
  @Field(() => Float, { nullable: true, description: 'won / (won + lost); null while none is closed' }) winRate!: number | null;
  @Field(() => Int) won!: number;
  @Field(() => Int) lost!: number;
  @Field(() => Int) open!: number;
  @Field(() => Money, { description: 'Σ amount × probability of the current stage over open deals (base currency)' }) weightedAmount!: Money;
  @Field(() => [DealOwnerStats]) byOwner!: DealOwnerStats[];
  @Field(() => [DealPeriodStats]) byPeriod!: DealPeriodStats[];
}
